//! The print edition (`print/index.html`): every page of content/ as a
//! section of one document, with ids prefixed by the section's and links
//! between pages turned into links between sections.

use std::fmt::Write as _;

use tera::Context;

use super::context::Link;
use super::splice::{CASE_LIST, CONTENT, PRINT_BODY, UNPLACED, splice};

use super::figure_pages::{Placement, figure_block};
use super::{OutputFile, Shared, theme};
use crate::content::PageKind;
use crate::diag::Diagnostic;
use crate::hash::FastSet;
use crate::site::Site;

/// Up to this many case studies, the print edition holds each one in full;
/// a larger briefing (thousands of cases would make a book of tens of
/// thousands of pages) lists them instead, as the case list does, each with
/// its address, and each case's page holds its text.
pub const PRINT_FULL_CASES: usize = 500;

/// Does the print edition of a briefing of `cases` case studies list them
/// rather than hold their text (`PRINT_FULL_CASES`)?
pub(super) fn lists_cases(cases: usize) -> bool {
    cases > PRINT_FULL_CASES
}

/// Where the print edition puts the page at `path`: `p-front`, `p-cases-x`.
pub(super) fn print_id(path: &str) -> String {
    if path.is_empty() {
        "p-front".to_string()
    } else {
        format!("p-{}", path.trim_end_matches('/').replace('/', "-"))
    }
}

/// The pages of the print edition, to turn links to them (`/base/cases/x/`)
/// into links to their sections.
pub(super) struct PrintTargets<'a> {
    /// What every page's address starts with (`/base/fr/`).
    start: String,
    paths: FastSet<&'a str>,
}

impl<'a> PrintTargets<'a> {
    pub(super) fn of(site: &'a Site) -> Self {
        PrintTargets {
            start: site.config.url(""),
            paths: site.pages.iter().map(|p| p.path.as_str()).collect(),
        }
    }

    /// The section of the page at the address `url`, if it is one.
    fn get(&self, url: &str) -> Option<String> {
        url.strip_prefix(self.start.as_str()).filter(|path| self.paths.contains(path)).map(print_id)
    }
}

/// Page `i`'s section of the print edition: `partials/print-section.html`
/// with the body, every id prefixed with the section's, and links to pages
/// of the edition turned into links inside it.
pub(super) fn print_section(
    s: &Shared,
    i: usize,
    ctx: &Context,
    filled: &str,
) -> Result<String, Box<Diagnostic>> {
    let p = &s.site.pages[i];
    let pid = print_id(&p.path);
    let html = s.tera().render("partials/print-section.html", ctx).map_err(|e| {
        let mut d = theme::tera_diagnostic(&e, &s.templates.origins, &s.templates.texts);
        d.help = Some(format!("{} (while rendering print/index.html)", d.help.unwrap_or_default()));
        Box::new(d)
    })?;
    let html = html.replace(CONTENT, filled);
    let kind = match p.kind {
        PageKind::Front => "front",
        PageKind::Chapter => "chapter",
        PageKind::Case => "case",
    };
    Ok(format!(
        "<section class=\"print-section print-{kind}\" id=\"{pid}\">\n{}</section>\n",
        rewrite_for_print(&html, &pid, &s.targets)
    ))
}

/// Prefixes every id of `html` (and every reference to one: `href="#..."`,
/// `aria-labelledby`, `aria-describedby`, `for`) with `pid--`, and turns
/// links to the pages in `targets` into links to their sections.
pub(super) fn rewrite_for_print(html: &str, pid: &str, targets: &PrintTargets) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(at) = rest.find("=\"") {
        let name_start = rest[..at].rfind(|c: char| c.is_whitespace()).map_or(0, |i| i + 1);
        let name = &rest[name_start..at];
        let value_start = at + 2;
        let Some(len) = rest[value_start..].find('"') else { break };
        let value = &rest[value_start..value_start + len];
        out.push_str(&rest[..value_start]);
        match name {
            "id" => {
                let _ = write!(out, "{pid}--{value}");
            }
            "aria-labelledby" | "aria-describedby" | "for" => {
                let ids: Vec<String> =
                    value.split_whitespace().map(|v| format!("{pid}--{v}")).collect();
                out.push_str(&ids.join(" "));
            }
            "href" => {
                if let Some(frag) = value.strip_prefix('#') {
                    let _ = write!(out, "#{pid}--{frag}");
                } else {
                    let (page, frag) =
                        value.split_once('#').map_or((value, None), |(p, f)| (p, Some(f)));
                    match (targets.get(page), frag) {
                        (Some(target), Some(f)) => {
                            let _ = write!(out, "#{target}--{f}");
                        }
                        (Some(target), None) => {
                            let _ = write!(out, "#{target}");
                        }
                        (None, _) => out.push_str(value),
                    }
                }
            }
            _ => out.push_str(value),
        }
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out
}

/// The print edition: cover, contents, every page of content/ in reading
/// order, and the figures placed nowhere.
pub(super) fn render_print(
    s: &Shared,
    sections: &[(String, String)],
) -> Result<OutputFile, Box<Diagnostic>> {
    let site = s.site;
    let c = &site.config;
    let mut ctx = Context::new();
    let listed = lists_cases(s.cases_newest.len());
    let contents: Vec<Link> = site
        .pages
        .iter()
        .filter(|p| p.kind != PageKind::Front && !(listed && p.kind == PageKind::Case))
        .map(|p| Link { title: p.title.clone(), url: format!("#{}", print_id(&p.path)) })
        .collect();
    ctx.insert("contents", &contents);
    let unplaced: String = site
        .figures
        .iter()
        .zip(&s.svgs)
        .filter(|(f, _)| f.placed_in.is_empty())
        .map(|(f, svg)| figure_block(site, f, svg, &s.words, Placement::Print))
        .collect();
    ctx.insert("figures", &!unplaced.is_empty());
    ctx.insert("cases_listed", &listed);
    ctx.insert("case_count", &s.cases_newest.len());
    ctx.insert("case_list", CASE_LIST);
    ctx.insert("print_body", PRINT_BODY);
    ctx.insert("unplaced_figures", UNPLACED);
    let path = "print/";
    ctx.insert("page", &s.list_view("print", c.book.title.clone(), path, None));
    let mut out =
        Vec::with_capacity(sections.iter().map(|(_, s)| s.len()).sum::<usize>() + 32 * 1024);
    match s.tera().render_to("print.html", &ctx, &mut out) {
        Ok(()) => {
            out = splice(out, PRINT_BODY, sections.iter().map(|(_, s)| s.as_str()));
            if listed {
                let items = s.cases_newest.iter().map(|&i| s.items[i].html.as_str());
                out = splice(out, CASE_LIST, items);
            }
            let figures = rewrite_for_print(&unplaced, "p-figures", &s.targets);
            out = splice(out, UNPLACED, std::iter::once(figures.as_str()));
            Ok(OutputFile { path: "print/index.html".into(), bytes: out })
        }
        Err(e) => {
            let mut d = theme::tera_diagnostic(&e, &s.templates.origins, &s.templates.texts);
            d.help =
                Some(format!("{} (while rendering print/index.html)", d.help.unwrap_or_default()));
            Err(Box::new(d))
        }
    }
}
