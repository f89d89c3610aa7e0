//! `dbsalvage inspect`: what a dump holds (tables, rows, created columns, keys), the plan for a
//! `--since`, and the foreign-key graph as Graphviz DOT. Also the `extract --dry-run` plan.

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{json, Value};

use crate::cli::{Format, InspectArgs};
use crate::error::{Error, Result};
use crate::extract::{self, Analysis, Config};
use crate::schema::{Schema, TableId};
use crate::select::TableStats;

/// Per root table: rows, created column, created range (leaves folded into their root).
struct TableFacts {
    rows: u64,
    created: Option<String>,
    min: Option<(i64, String)>,
    max: Option<(i64, String)>,
}

fn facts(schema: &Schema, stats: &[TableStats]) -> BTreeMap<TableId, TableFacts> {
    let mut out: BTreeMap<TableId, TableFacts> = schema
        .row_tables()
        .map(|t| {
            (
                t,
                TableFacts {
                    rows: 0,
                    created: None,
                    min: None,
                    max: None,
                },
            )
        })
        .collect();
    for (leaf, st) in stats.iter().enumerate() {
        let root = schema.storage_root(leaf);
        let Some(f) = out.get_mut(&root) else {
            continue;
        };
        f.rows += st.rows;
        if let Some(c) = st.created_column {
            f.created = Some(schema.tables[leaf].columns[c].name.clone());
        }
        if let Some(m) = &st.min {
            if f.min.as_ref().is_none_or(|x| m.0 < x.0) {
                f.min = Some(m.clone());
            }
        }
        if let Some(m) = &st.max {
            if f.max.as_ref().is_none_or(|x| m.0 > x.0) {
                f.max = Some(m.clone());
            }
        }
    }
    out
}

fn fk_text(schema: &Schema, f: usize) -> String {
    let fk = &schema.foreign_keys[f];
    let cols = |t: TableId, c: &[usize]| {
        c.iter()
            .map(|&i| schema.tables[t].columns[i].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "{}({}) -> {}({})",
        schema.tables[fk.child].name,
        cols(fk.child, &fk.child_columns),
        schema.tables[fk.parent].name,
        cols(fk.parent, &fk.parent_columns)
    )
}

/// Runs `inspect`, printing to `out`.
///
/// # Errors
/// As [`extract::analyse`].
pub fn run(args: &InspectArgs, out: &mut dyn Write) -> Result<()> {
    let config = Config::new(&args.dump, args.since.as_deref())?;
    let analysis = extract::analyse(&config, true)?;
    let io = |e: std::io::Error| Error::io("writing to stdout", e);
    if args.graph {
        return graph(&analysis, out).map_err(io);
    }
    match args.format {
        Format::Text => text(&analysis, &config, out).map_err(io),
        Format::Json => {
            let v = json_view(&analysis, &config);
            serde_json::to_writer_pretty(&mut *out, &v).map_err(|e| io(e.into()))?;
            writeln!(out).map_err(io)
        }
    }
}

fn text(a: &Analysis, config: &Config, out: &mut dyn Write) -> std::io::Result<()> {
    let schema = &a.schema;
    let facts = facts(schema, a.stats.as_deref().unwrap_or_default());
    writeln!(
        out,
        "dialect: {}; dumped by: {}; server: {}; encoding: {}; {} read",
        a.reader.kind().name(),
        a.info.tool.as_deref().unwrap_or("unknown"),
        a.info.server_version.as_deref().unwrap_or("unknown"),
        a.info.encoding.as_deref().unwrap_or("unknown"),
        extract::human_bytes(a.bytes)
    )?;
    struct Line {
        name: String,
        rows: u64,
        created: String,
        pk: String,
        out: usize,
        inc: usize,
    }
    let lines: Vec<Line> = facts
        .iter()
        .map(|(&t, f)| {
            let table = &schema.tables[t];
            let created = match (&f.created, &f.min, &f.max) {
                (Some(c), Some(min), Some(max)) => format!("{c} ({} .. {})", min.1, max.1),
                (Some(c), _, _) => c.clone(),
                (None, _, _) => "-".to_string(),
            };
            let pk = table.primary_key.as_ref().map_or_else(
                || "-".to_string(),
                |k| {
                    k.iter()
                        .map(|&c| table.columns[c].name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            );
            Line {
                name: table.name.to_string(),
                rows: f.rows,
                created,
                pk,
                out: schema.outgoing(t).count(),
                inc: schema.incoming(t).count(),
            }
        })
        .collect();
    let w = |f: &dyn Fn(&Line) -> usize, title: &str| {
        lines.iter().map(f).max().unwrap_or(0).max(title.len())
    };
    let (wn, wc, wp) = (
        w(&|l| l.name.len(), "table"),
        w(&|l| l.created.len(), "created column (min .. max)"),
        w(&|l| l.pk.len(), "primary key"),
    );
    writeln!(
        out,
        "{:<wn$}  {:>10}  {:<wc$}  {:<wp$}  {:>7}  {:>6}",
        "table", "rows", "created column (min .. max)", "primary key", "FKs out", "FKs in"
    )?;
    for l in &lines {
        writeln!(
            out,
            "{:<wn$}  {:>10}  {:<wc$}  {:<wp$}  {:>7}  {:>6}",
            l.name, l.rows, l.created, l.pk, l.out, l.inc
        )?;
    }
    if !schema.foreign_keys.is_empty() {
        writeln!(out, "foreign keys:")?;
        for (f, fk) in schema.foreign_keys.iter().enumerate() {
            writeln!(
                out,
                "  {}  [{}{}]",
                fk_text(schema, f),
                fk.name,
                if fk.deferrable { ", deferrable" } else { "" }
            )?;
        }
    }
    if a.selection.is_some() {
        writeln!(
            out,
            "plan for rows created after {}:",
            config.since.as_ref().map_or("", |s| s.0.as_str())
        )?;
        let report = extract::report(a, config, None);
        extract::print_plan(&report, out)?;
    }
    Ok(())
}

fn json_view(a: &Analysis, config: &Config) -> Value {
    let schema = &a.schema;
    let facts = facts(schema, a.stats.as_deref().unwrap_or_default());
    let tables: Vec<Value> = facts
        .iter()
        .map(|(&t, f)| {
            let table = &schema.tables[t];
            let names = |cols: &[usize]| -> Vec<&str> {
                cols.iter().map(|&c| table.columns[c].name.as_str()).collect()
            };
            json!({
                "table": table.name.to_string(),
                "rows": f.rows,
                "created_column": f.created,
                "created_min": f.min.as_ref().map(|m| &m.1),
                "created_max": f.max.as_ref().map(|m| &m.1),
                "primary_key": table.primary_key.as_deref().map(names),
                "foreign_keys_out": schema.outgoing(t).map(|(i, _)| fk_text(schema, i)).collect::<Vec<_>>(),
                "foreign_keys_in": schema.incoming(t).map(|(i, _)| fk_text(schema, i)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let plan = a.selection.as_ref().map(|_| {
        let report = extract::report(a, config, None);
        json!({
            "since": config.since.as_ref().map(|s| &s.0),
            "tables": report.counts.iter().map(|(name, r, d, an)| json!({
                "table": name, "roots": r, "descendants": d, "ancestors": an, "total": r + d + an
            })).collect::<Vec<_>>(),
            "tables_without_created_column": report.untimed_tables,
            "whole_row_match_tables": report.whole_row_tables,
            "warnings": report.warnings,
        })
    });
    json!({
        "dialect": a.reader.kind(),
        "tool": a.info.tool,
        "server_version": a.info.server_version,
        "encoding": a.info.encoding,
        "bytes": a.bytes,
        "tables": tables,
        "plan": plan,
    })
}

/// DOT string literal.
fn dot(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

fn graph(a: &Analysis, out: &mut dyn Write) -> std::io::Result<()> {
    let schema = &a.schema;
    let facts = facts(schema, a.stats.as_deref().unwrap_or_default());
    let selected: BTreeMap<TableId, usize> = a
        .selection
        .iter()
        .flat_map(|s| s.tables.iter().map(|t| (t.table, t.rows.len())))
        .collect();
    writeln!(out, "digraph dbsalvage {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(out, "  node [shape=box, fontname=\"Helvetica\"];")?;
    for (&t, f) in &facts {
        let name = schema.tables[t].name.to_string();
        let mut label = format!("{name}\n{} rows", f.rows);
        if let Some(c) = &f.created {
            label.push_str(&format!("\ncreated: {c}"));
        }
        if a.selection.is_some() {
            label.push_str(&format!(
                "\n{} selected",
                selected.get(&t).copied().unwrap_or(0)
            ));
        }
        let style = if f.created.is_some() {
            ", style=filled, fillcolor=\"#fff3c4\""
        } else {
            ""
        };
        writeln!(out, "  {} [label={}{style}];", dot(&name), dot(&label))?;
    }
    for fk in &schema.foreign_keys {
        let cols = fk
            .child_columns
            .iter()
            .map(|&c| schema.tables[fk.child].columns[c].name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(
            out,
            "  {} -> {} [label={}];",
            dot(&schema.tables[fk.child].name.to_string()),
            dot(&schema.tables[fk.parent].name.to_string()),
            dot(&cols)
        )?;
    }
    writeln!(out, "}}")
}

/// `extract --dry-run`: the plan, on stdout.
///
/// # Errors
/// As [`extract::analyse`].
pub fn dry_run(args: &crate::cli::ExtractArgs, out: &mut dyn Write) -> Result<()> {
    let config = Config::new(&args.dump, Some(&args.since))?;
    let analysis = extract::analyse(&config, false)?;
    let report = extract::report(&analysis, &config, None);
    let io = |e: std::io::Error| Error::io("writing to stdout", e);
    writeln!(
        out,
        "dry run: {} dump, {} read; rows created after {} and the rows linked to them:",
        report.dialect.name(),
        extract::human_bytes(report.bytes),
        args.since
    )
    .map_err(io)?;
    extract::print_plan(&report, out).map_err(io)
}
