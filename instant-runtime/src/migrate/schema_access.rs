//! Who owns a schema and who may use it, kept across `DROP SCHEMA … CREATE SCHEMA`.
//!
//! `db:bootstrap` empties `public` by dropping and creating it again. A new schema belongs to
//! the role that creates it and grants nothing to anyone else, so without this the roles an
//! application connects as (granted `USAGE`/`CREATE` on `public`, or PostgreSQL's own
//! `PUBLIC` usage) would lose access, and `public` would change owner. So the owner and the
//! access list are read before the drop and given back after the create, inside the same
//! transaction: a failure to restore them undoes the drop too.

use instant_pg::Client;

use crate::error::Result;

/// A schema's owner and grants, as statements that give them back.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaAccess {
    schema: String,
    /// The owner, quoted as an identifier where needed (as `regrole` prints it).
    owner: String,
    /// `None` when the schema has the default access (its owner only).
    grants: Option<Vec<Grant>>,
}

/// One privilege held by one role (`None` for `PUBLIC`).
#[derive(Debug, Clone, PartialEq)]
struct Grant {
    grantee: Option<String>,
    privilege: String,
    grantable: bool,
}

impl SchemaAccess {
    /// The owner and grants of `schema`; `None` when there is no such schema.
    pub fn read(client: &mut Client, schema: &str) -> Result<Option<SchemaAccess>> {
        let Some(row) = client.query_opt(
            "SELECT nspowner::regrole::text, nspacl IS NULL FROM pg_namespace WHERE nspname = $1",
            &[&schema],
        )?
        else {
            return Ok(None);
        };
        let owner: String = row.get(0);
        let default_access: bool = row.get(1);
        let grants = if default_access {
            None
        } else {
            let rows = client.query(
                "SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE a.grantee::regrole::text END, \
                        a.privilege_type, a.is_grantable \
                 FROM pg_namespace n, aclexplode(n.nspacl) a \
                 WHERE n.nspname = $1 \
                 ORDER BY 1 NULLS FIRST, 2",
                &[&schema],
            )?;
            Some(
                rows.iter()
                    .map(|row| Grant {
                        grantee: row.get(0),
                        privilege: row.get(1),
                        grantable: row.get(2),
                    })
                    .collect(),
            )
        };
        Ok(Some(SchemaAccess {
            schema: schema.to_string(),
            owner,
            grants,
        }))
    }

    /// Gives the (newly created) schema its old owner and grants back.
    pub fn restore(&self, client: &mut Client) -> Result<()> {
        for statement in self.statements() {
            client.batch_execute(&statement)?;
        }
        Ok(())
    }

    /// `ALTER SCHEMA … OWNER TO …`, then, when the schema had an explicit access list: the
    /// owner's own privileges it had given up revoked, and every other role's granted. Names
    /// come from `regrole`, which quotes them.
    fn statements(&self) -> Vec<String> {
        let schema = quote(&self.schema);
        let mut statements = vec![format!("ALTER SCHEMA {schema} OWNER TO {}", self.owner)];
        let Some(grants) = &self.grants else {
            return statements;
        };
        for privilege in ["USAGE", "CREATE"] {
            let kept = grants.iter().any(|grant| {
                grant.grantee.as_deref() == Some(self.owner.as_str())
                    && grant.privilege == privilege
            });
            if !kept {
                statements.push(format!(
                    "REVOKE {privilege} ON SCHEMA {schema} FROM {}",
                    self.owner
                ));
            }
        }
        for grant in grants {
            let grantee = match &grant.grantee {
                Some(role) if *role == self.owner => continue,
                Some(role) => role.as_str(),
                None => "PUBLIC",
            };
            statements.push(format!(
                "GRANT {} ON SCHEMA {schema} TO {grantee}{}",
                grant.privilege,
                if grant.grantable {
                    " WITH GRANT OPTION"
                } else {
                    ""
                }
            ));
        }
        statements
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_then_grants() {
        let access = SchemaAccess {
            schema: "public".into(),
            owner: "pg_database_owner".into(),
            grants: Some(vec![
                Grant {
                    grantee: None,
                    privilege: "USAGE".into(),
                    grantable: false,
                },
                Grant {
                    grantee: Some("\"App Reader\"".into()),
                    privilege: "CREATE".into(),
                    grantable: true,
                },
                Grant {
                    grantee: Some("pg_database_owner".into()),
                    privilege: "USAGE".into(),
                    grantable: false,
                },
            ]),
        };
        assert_eq!(
            access.statements(),
            [
                "ALTER SCHEMA \"public\" OWNER TO pg_database_owner",
                "REVOKE CREATE ON SCHEMA \"public\" FROM pg_database_owner",
                "GRANT USAGE ON SCHEMA \"public\" TO PUBLIC",
                "GRANT CREATE ON SCHEMA \"public\" TO \"App Reader\" WITH GRANT OPTION",
            ]
        );
    }
}
