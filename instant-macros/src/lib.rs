//! `#[derive(Model)]` and its helper attributes (arrives with the derive issue).
