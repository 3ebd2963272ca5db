//! PostgreSQL extensions (`vector` for pgvector, `uuid-ossp`, …): list, enable, disable, with
//! instant.dev's messages. `annihilate` drops the extensions installed in `public`, which is
//! why `bootstrap` takes a list to enable again.

use instant_pg::Client;

use crate::error::{Error, Result};

/// One row of `pg_available_extensions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub name: String,
    pub description: Option<String>,
    pub default_version: Option<String>,
    /// `None` when not installed in this database.
    pub installed_version: Option<String>,
}

/// Every extension the server can install, by name.
pub fn list(client: &mut Client) -> Result<Vec<Extension>> {
    let rows = client.query(
        "SELECT name::text, comment, default_version, installed_version \
         FROM pg_available_extensions ORDER BY name",
        &[],
    )?;
    rows.iter()
        .map(|row| {
            Ok(Extension {
                name: row.try_get(0)?,
                description: row.try_get(1)?,
                default_version: row.try_get(2)?,
                installed_version: row.try_get(3)?,
            })
        })
        .collect()
}

/// The extension called `name`, if the server has it.
pub fn get(client: &mut Client, name: &str) -> Result<Option<Extension>> {
    Ok(list(client)?.into_iter().find(|ext| ext.name == name))
}

/// Installs `name` unless it is installed; returns it as it is afterwards.
pub fn enable(client: &mut Client, name: &str) -> Result<Extension> {
    let Some(extension) = get(client, name)? else {
        return Err(Error::lifecycle(format!(
            "Extension \"{name}\" is not available to create. Are you sure it is set up \
             correctly?"
        )));
    };
    if extension.installed_version.is_some() {
        return Ok(extension);
    }
    client.batch_execute(&format!("CREATE EXTENSION {}", quote(name)))?;
    installed(client, name)
}

/// Drops `name` if installed, without CASCADE: when something uses it (a `vector` column),
/// the server's dependency error is returned as is.
pub fn disable(client: &mut Client, name: &str) -> Result<Extension> {
    let Some(extension) = get(client, name)? else {
        return Err(Error::lifecycle(format!(
            "Extension \"{name}\" is not available to drop. Are you sure it is set up correctly?"
        )));
    };
    if extension.installed_version.is_none() {
        return Ok(extension);
    }
    client.batch_execute(&format!("DROP EXTENSION {}", quote(name)))?;
    installed(client, name)
}

fn installed(client: &mut Client, name: &str) -> Result<Extension> {
    get(client, name)?.ok_or_else(|| Error::lifecycle(format!("Extension \"{name}\" disappeared")))
}

/// Extension names may contain `-` (`uuid-ossp`): always quoted.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
