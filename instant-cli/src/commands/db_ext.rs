//! `instant db:ext [NAME] [--enable | --disable]`: lists the server's extensions, shows one,
//! or enables/disables it (`vector` for pgvector). Disabling never cascades: if a column uses
//! the extension, the server's dependency error is the answer.

use instant_runtime::migrate::extensions::{self, Extension};

use super::{connect_only, one_line};
use crate::DatabaseArgs;
use crate::terminal::outln;

/// What to do with the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Show,
    Enable,
    Disable,
}

pub fn run(args: &DatabaseArgs, name: Option<&str>, action: Action) -> Result<(), String> {
    let (mut client, _) = connect_only(args)?;
    let Some(name) = name else {
        if action != Action::Show {
            return Err("name the extension to --enable or --disable".to_string());
        }
        for extension in extensions::list(&mut client).map_err(one_line)? {
            outln!("{}", describe(&extension));
        }
        return Ok(());
    };
    let extension = match action {
        Action::Show => extensions::get(&mut client, name)
            .map_err(one_line)?
            .ok_or_else(|| format!("Extension \"{name}\" is not available on this server"))?,
        Action::Enable => extensions::enable(&mut client, name).map_err(one_line)?,
        Action::Disable => extensions::disable(&mut client, name).map_err(one_line)?,
    };
    outln!("{}", describe(&extension));
    Ok(())
}

fn describe(extension: &Extension) -> String {
    let state = match &extension.installed_version {
        Some(version) => format!("installed {version}"),
        None => format!(
            "available {}",
            extension.default_version.as_deref().unwrap_or("?")
        ),
    };
    format!(
        "{} ({state}){}",
        extension.name,
        extension
            .description
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default()
    )
}
