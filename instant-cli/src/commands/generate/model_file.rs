//! The Rust model file `g:model` writes, `src/models/<singular>.rs`: instant.dev's
//! `_instant/models/<name>.mjs` (`ModelGenerator.extend`) for Rust.
//!
//! The struct's fields are taken from what `instant-codegen` generates for the table, so they
//! have exactly the types `#[derive(Model)]` checks them against. The file holds the
//! `beforeSave`/`afterSave` stubs instant.dev's file has, and commented examples of every
//! other declaration (`validates`, `verifies`, `calculates`, `hides`, `vectorizes`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use instant_codegen::{Options, generate, ident};
use instant_schema::Schema;
use instant_schema::inflection::singularize;
use instant_schema::rust_type::Scalar;

use super::Target;
use crate::terminal::outln;

/// A model file to write, and the module declaring it.
pub struct ModelFile {
    pub path: PathBuf,
    /// The module name in `crate::models` (`user`).
    pub module: String,
    pub contents: String,
}

impl ModelFile {
    /// The file for a model of `table` in `schema` (which already has the table). Fails when
    /// the file exists: instant.dev never overwrites a model.
    pub fn for_table(target: &Target, schema: &Schema, table: &str) -> Result<ModelFile, String> {
        let generated = GeneratedStruct::of(schema, table)?;
        let module = model_module(schema, table)?;
        let path = models_dir(&target.root).join(format!("{module}.rs"));
        let file = ModelFile {
            path,
            module,
            contents: render(table, &generated, &text_columns(schema, table)),
        };
        file.check_new(target)?;
        Ok(file)
    }

    /// A file with fixed contents (a kit's model), named `module`.
    pub fn fixed(target: &Target, module: &str, contents: &str) -> Result<ModelFile, String> {
        let file = ModelFile {
            path: models_dir(&target.root).join(format!("{module}.rs")),
            module: module.to_string(),
            contents: contents.to_string(),
        };
        file.check_new(target)?;
        Ok(file)
    }

    fn check_new(&self, target: &Target) -> Result<(), String> {
        if self.path.exists() {
            return Err(format!(
                "{} already exists: a model file is never overwritten",
                target.shown(&self.path)
            ));
        }
        Ok(())
    }
}

/// Writes `files` and declares them in `src/models.rs` (or `src/models/mod.rs`), creating that
/// file with the `include!` of the generated code when the project has neither.
pub fn write(target: &Target, files: &[ModelFile]) -> Result<(), String> {
    let dir = models_dir(&target.root);
    std::fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    for file in files {
        std::fs::write(&file.path, &file.contents)
            .map_err(|error| format!("{}: {error}", file.path.display()))?;
        outln!("wrote {}", target.shown(&file.path));
    }
    let modules: Vec<&str> = files.iter().map(|file| file.module.as_str()).collect();
    declare(target, &modules)
}

fn models_dir(root: &Path) -> PathBuf {
    root.join("src").join("models")
}

/// The module for `table`'s model: its singular (`users` → `user`), unless that is a name
/// the generated code already uses in `crate::models` (a table whose singular is its plural,
/// `sheep`), then `<singular>_model`.
fn model_module(schema: &Schema, table: &str) -> Result<String, String> {
    let singular = ident::sanitize(&singularize(table))
        .ok_or_else(|| format!("table \"{table}\" has no name a Rust module can take"))?;
    let taken = schema
        .tables
        .keys()
        .filter_map(|name| ident::sanitize(name))
        .any(|module| module == singular)
        || singular == "TABLES";
    Ok(if taken {
        format!("{singular}_model")
    } else {
        singular
    })
}

/// The model struct `instant-codegen` generates for one table, as source lines.
struct GeneratedStruct {
    /// The table module's path segment (`users`, `r#type`).
    module: String,
    /// The struct's name (`User`).
    model: String,
    fields: Vec<Field>,
    allow_non_snake_case: bool,
}

struct Field {
    docs: Vec<String>,
    /// The field name as written (`email`, `r#type`).
    name: String,
    /// The type as written, with the runtime reached as `instant_runtime::`.
    ty: String,
}

impl GeneratedStruct {
    fn of(schema: &Schema, table: &str) -> Result<GeneratedStruct, String> {
        let code = generate(schema, &Options::default()).map_err(|error| error.to_string())?;
        let module = ident::sanitize(table)
            .map(|name| ident::ident_text(&name).into_owned())
            .ok_or_else(|| format!("table \"{table}\" has no name a Rust module can take"))?;
        let missing = || format!("the generated code has no model for table \"{table}\"");
        let marker = format!("#[instant(table = {module})]");
        let mut lines = code.lines().skip_while(|line| line.trim() != marker);
        lines.next().ok_or_else(missing)?;
        let mut allow_non_snake_case = false;
        let mut model = None;
        for line in lines.by_ref() {
            if line.trim() == "#[allow(non_snake_case)]" {
                allow_non_snake_case = true;
            }
            if let Some(name) = line.strip_prefix("pub struct ") {
                model = Some(name.trim_end_matches(" {").to_string());
                break;
            }
        }
        let model = model.ok_or_else(missing)?;
        let mut fields = Vec::new();
        let mut docs = Vec::new();
        let mut pending: Option<String> = None;
        for line in lines {
            let trimmed = line.trim();
            if line == "}" {
                break;
            }
            if let Some(field) = pending.as_mut() {
                field.push_str(trimmed);
            } else if let Some(doc) = trimmed.strip_prefix("///") {
                docs.push(doc.trim_start().to_string());
                continue;
            } else if let Some(field) = trimmed.strip_prefix("pub ") {
                pending = Some(field.to_string());
            }
            // prettyplease may break a long type over several lines; it ends with `,`.
            if let Some(field) = pending.take_if(|field| field.ends_with(',')) {
                let field = field.trim_end_matches(',').replace(",>", ">");
                let (name, ty) = field.split_once(": ").ok_or_else(missing)?;
                fields.push(Field {
                    docs: std::mem::take(&mut docs),
                    name: name.to_string(),
                    ty: ty
                        .replace("::instant_runtime::", "instant_runtime::")
                        .replace("::std::", "std::"),
                });
            }
        }
        Ok(GeneratedStruct {
            module,
            model,
            fields,
            allow_non_snake_case,
        })
    }
}

/// The implicit columns instant.dev adds to every table: no examples go on them.
const IMPLICIT: &[&str] = &["id", "created_at", "updated_at"];

/// The columns of `table` that hold text (`string`, `text`, `varchar`, …, not the types only
/// read as text): the examples use one of them.
fn text_columns(schema: &Schema, table: &str) -> Vec<String> {
    schema
        .table(table)
        .map(|table| {
            table
                .columns
                .iter()
                .filter(|column| Scalar::of(&column.column_type) == Scalar::String)
                .map(|column| column.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn render(table: &str, generated: &GeneratedStruct, text_columns: &[String]) -> String {
    let GeneratedStruct {
        module,
        model,
        fields,
        allow_non_snake_case,
    } = generated;
    let user_fields = || {
        fields
            .iter()
            .filter(|field| !IMPLICIT.contains(&field.name.as_str()))
    };
    let text_field = user_fields().find(|field| {
        matches!(field.ty.as_str(), "String" | "Option<String>")
            && text_columns.contains(&plain(&field.name))
    });
    let example_field = text_field.or_else(|| user_fields().next());
    let id_field = fields.iter().find(|field| field.name == "id");

    let mut out = String::new();
    let _ = write!(
        out,
        "//! `{model}`: a row of the `{table}` table, with its behaviour.
//!
//! Written by `instant g:model`. The fields are the table's columns: when this compiles they
//! are checked against `crate::models::{module}`, which `build.rs` generates from `_instant/`,
//! so a misspelt field or a wrong type is a compile error. Uncomment the examples to add
//! behaviour (`instant codegen` shows the generated code).

use instant_runtime::{{Hooks, Model, Save, Transaction}};

#[derive(Debug, Clone, PartialEq, Model)]
#[instant(table = crate::models::{module}, hooks)]
"
    );
    if *allow_non_snake_case {
        out.push_str("#[allow(non_snake_case)]\n");
    }
    out.push_str(
        "// A check that needs the database, run in the save's transaction after the validations.\n",
    );
    let check_function = match (text_field, id_field) {
        (Some(field), Some(_)) => {
            let name = plain(&field.name);
            let _ = writeln!(
                out,
                "// With a field, a failure is reported under it like a validation error:\n\
                 // #[verifies({}, \"is already taken\", {name}_is_free)]",
                field.name
            );
            format!(
                "// fn {name}_is_free(model: &{model}, transaction: &mut Transaction<'_>) -> instant_runtime::Result<bool> {{
//     let row = transaction.query_one(
//         \"SELECT count(*) FROM \\\"{table}\\\" WHERE \\\"{name}\\\" = $1 AND \\\"id\\\" <> $2\",
//         &[&model.{field}, &model.id],
//     )?;
//     Ok(row.get::<_, i64>(0) == 0)
// }}
",
                field = field.name
            )
        }
        _ => {
            out.push_str("// #[verifies(\"is not allowed\", is_allowed)]\n");
            format!(
                "// fn is_allowed(model: &{model}, transaction: &mut Transaction<'_>) -> instant_runtime::Result<bool> {{
//     let _ = (model, transaction); // query the database here
//     Ok(true)
// }}
"
            )
        }
    };
    let label = match id_field {
        Some(_) => format!("format!(\"{model} #{{}}\", model.id)"),
        None => format!("\"{model}\".to_string()"),
    };
    let _ = write!(
        out,
        "// A value computed from the fields, added to `to_json()`:
// #[calculates(label, |model: &{model}| {label})]
pub struct {model} {{
"
    );
    let mut vector_functions = String::new();
    for field in fields {
        for doc in &field.docs {
            let _ = writeln!(out, "    ///{}{doc}", if doc.is_empty() { "" } else { " " });
        }
        if example_field.is_some_and(|example| std::ptr::eq(example, field)) {
            let _ = writeln!(
                out,
                "    // Checked before every save; every failure is reported, in instant.dev's shape:\n    \
                 // #[validates(\"{}\", |{name}| {})]\n    \
                 // Left out of `to_json()` (for secrets):\n    \
                 // #[hides]",
                validation_message(&field.ty),
                validation_check(&field.ty, &field.name),
                name = field.name,
            );
        }
        let is_vector =
            field.ty.ends_with("pgvector::Vector") || field.ty.ends_with("pgvector::Vector>");
        if let (true, Some(source)) = (is_vector, text_field) {
            let function = format!("{}_text", plain(&field.name));
            let _ = writeln!(
                out,
                "    // Filled at save time from other fields by the vector engine:\n    \
                 // #[vectorizes(from = [{}], with = {function})]",
                source.name
            );
            let _ = write!(
                vector_functions,
                "\n// fn {function}({source}: {ty}) -> String {{\n//     {body}\n// }}\n",
                source = source.name,
                ty = if source.ty == "String" {
                    "&str"
                } else {
                    "&Option<String>"
                },
                body = if source.ty == "String" {
                    format!("{}.to_string()", source.name)
                } else {
                    format!("{}.clone().unwrap_or_default()", source.name)
                },
            );
        }
        let _ = writeln!(out, "    pub {}: {},", field.name, field.ty);
    }
    out.push_str("}\n\n");
    out.push_str(&check_function);
    out.push_str(&vector_functions);
    let _ = write!(
        out,
        "
impl Hooks for {model} {{
    /// Runs in the save's transaction after the validations and verifications, before the
    /// INSERT or UPDATE: set derived fields here. An error aborts the save.
    /// (`before_validate`, `before_destroy` and `after_destroy` are added the same way.)
    fn before_save(
        &mut self,
        transaction: &mut Transaction<'_>,
        save: Save,
    ) -> instant_runtime::Result<()> {{
        let _ = (transaction, save);
        Ok(())
    }}

    /// Runs in the save's transaction after the write (a new row has its id). An error rolls
    /// the save back.
    fn after_save(
        &mut self,
        transaction: &mut Transaction<'_>,
        save: Save,
    ) -> instant_runtime::Result<()> {{
        let _ = (transaction, save);
        Ok(())
    }}
}}
"
    );
    out
}

/// A field name without its `r#`, for use inside other names and SQL.
fn plain(name: &str) -> String {
    name.trim_start_matches("r#").to_string()
}

fn validation_message(ty: &str) -> &'static str {
    match ty {
        "String" | "Option<String>" => "must not be empty",
        "i16" | "i32" | "i64" | "Option<i16>" | "Option<i32>" | "Option<i64>" => {
            "must not be negative"
        }
        "f32" | "f64" | "Option<f32>" | "Option<f64>" => "must be a number",
        _ => "is not valid",
    }
}

fn validation_check(ty: &str, name: &str) -> String {
    match ty {
        "String" => format!("!{name}.is_empty()"),
        "Option<String>" => format!("{name}.as_deref().is_none_or(|text| !text.is_empty())"),
        "i16" | "i32" | "i64" => format!("*{name} >= 0"),
        "Option<i16>" | "Option<i32>" | "Option<i64>" => {
            format!("{name}.is_none_or(|number| number >= 0)")
        }
        "f32" | "f64" => format!("{name}.is_finite()"),
        "Option<f32>" | "Option<f64>" => format!("{name}.is_none_or(|number| number.is_finite())"),
        _ => format!("{{ let _ = {name}; true }}"),
    }
}

/// Declares `modules` in `src/models.rs` or `src/models/mod.rs`; creates `src/models.rs`
/// (with the `include!` of the generated code) when there is neither.
fn declare(target: &Target, modules: &[&str]) -> Result<(), String> {
    let src = target.root.join("src");
    let candidates = [src.join("models.rs"), src.join("models").join("mod.rs")];
    let existing = candidates.iter().find(|path| path.is_file());
    let (path, text) = match existing {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|error| format!("{}: {error}", path.display()))?;
            (path.clone(), text)
        }
        None => (
            candidates[0].clone(),
            "//! The application's models: the structs and table modules `build.rs` generates from\n\
             //! `_instant/`, and the hand-written models in `src/models/`.\n\
             \n\
             include!(concat!(env!(\"OUT_DIR\"), \"/instant_models.rs\"));\n"
                .to_string(),
        ),
    };
    let declared = |module: &str| {
        text.lines().any(|line| {
            let line = line.trim();
            line == format!("mod {module};") || line == format!("pub mod {module};")
        })
    };
    let missing: Vec<&str> = modules.iter().copied().filter(|m| !declared(m)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut updated = text.clone();
    if !updated.is_empty() && !updated.ends_with('\n') {
        updated.push('\n');
    }
    // A blank line before the first declaration, none between declarations.
    let last = updated.lines().rev().find(|line| !line.trim().is_empty());
    if !last.is_some_and(|line| {
        line.trim_start().starts_with("pub mod ") || line.trim_start().starts_with("mod ")
    }) {
        updated.push('\n');
    }
    for module in &missing {
        let _ = writeln!(updated, "pub mod {module};");
    }
    std::fs::write(&path, updated).map_err(|error| format!("{}: {error}", path.display()))?;
    if existing.is_some() {
        outln!("declared {} in {}", missing.join(", "), target.shown(&path));
    } else {
        outln!("wrote {}", target.shown(&path));
        advise_setup(target);
    }
    Ok(())
}

/// What a new `src/models.rs` needs to compile, when the project does not have it yet.
fn advise_setup(target: &Target) {
    let root = &target.root;
    let mentions = |file: &str, needle: &str| {
        std::fs::read_to_string(root.join(file)).is_ok_and(|text| text.contains(needle))
    };
    if !mentions("src/lib.rs", "mod models") && !mentions("src/main.rs", "mod models") {
        outln!("note: declare `mod models;` in src/main.rs or src/lib.rs");
    }
    if !mentions("build.rs", "instant_codegen") {
        outln!(
            "note: build.rs must generate the models: `fn main() {{ instant_codegen::Builder::new().run(); }}` \
             (with instant-codegen in [build-dependencies])"
        );
    }
}
