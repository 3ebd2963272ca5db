//! Code generation from `build.rs`: read `_instant/`, write the models into `OUT_DIR`, and tell
//! Cargo when to run again.

use std::fs;
use std::path::{Path, PathBuf};

use instant_schema::Project;

use crate::error::Error;
use crate::generate::{Options, generate_project};

/// Generates the models of an `_instant/` folder from a build script.
///
/// ```no_run
/// // in build.rs's `main`
/// instant_codegen::Builder::new()
///     .project_dir("../shared") // the folder holding `_instant/`
///     .output_file("shared_models.rs") // in OUT_DIR
///     .run();
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    project_dir: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    output_file: PathBuf,
    options: Options,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// Reads `$CARGO_MANIFEST_DIR/_instant` and writes `$OUT_DIR/instant_models.rs`.
    pub fn new() -> Self {
        Builder {
            project_dir: None,
            out_dir: None,
            output_file: PathBuf::from("instant_models.rs"),
            options: Options::default(),
        }
    }

    /// The folder holding `_instant/` (or the `_instant/` folder itself).
    pub fn project_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.project_dir = Some(dir.into());
        self
    }

    /// The path generated code reaches the runtime by; `::instant_runtime` by default.
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.options.runtime_path = path.into();
        self
    }

    /// The file to write, relative to the output directory; `instant_models.rs` by default.
    pub fn output_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.output_file = file.into();
        self
    }

    /// The output directory; `$OUT_DIR` by default.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates the models and writes them (only when they changed, so an unchanged schema
    /// does not recompile the crate). Returns the file written.
    ///
    /// Prints `cargo::rerun-if-changed` for the `_instant/` folder, its migrations folder, each
    /// migration and, when the schema comes from it, `cache/schema.json`.
    pub fn generate(&self) -> Result<PathBuf, Error> {
        let project_dir = match &self.project_dir {
            Some(dir) => dir.clone(),
            None => env_path("CARGO_MANIFEST_DIR")?,
        };
        let instant_dir = if project_dir
            .file_name()
            .is_some_and(|name| name == "_instant")
        {
            project_dir.clone()
        } else {
            project_dir.join("_instant")
        };
        // Before loading, so that fixing a broken folder triggers a new run.
        rerun_if_changed(&instant_dir);
        rerun_if_changed(&instant_dir.join("migrations"));

        let project = Project::load(&project_dir)?;
        if project.migrations.is_empty() {
            rerun_if_changed(&project.schema_path());
        }
        for (file, _) in &project.migrations {
            rerun_if_changed(file);
        }
        let code = generate_project(&project, &self.options)?;

        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => env_path("OUT_DIR")?,
        };
        let path = out_dir.join(&self.output_file);
        write_if_changed(&path, &code)?;
        Ok(path)
    }

    /// [`generate`](Self::generate) for `build.rs`: on failure, prints the error as
    /// `cargo::error=` lines, which Cargo shows as they are, and exits with status 1.
    pub fn run(&self) {
        if let Err(error) = self.generate() {
            for line in format!("instant-codegen: {error}").lines() {
                println!("cargo::error={line}");
            }
            std::process::exit(1);
        }
    }
}

fn env_path(var: &'static str) -> Result<PathBuf, Error> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .ok_or(Error::MissingEnv(var))
}

fn rerun_if_changed(path: &Path) {
    println!("cargo::rerun-if-changed={}", path.display());
}

fn write_if_changed(path: &Path, code: &str) -> Result<(), Error> {
    if fs::read_to_string(path).is_ok_and(|existing| existing == code) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|source| Error::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    fs::write(path, code).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}
