//! The XML form of `PUT/GET /?cors`: `<CORSConfiguration>` holding flattened
//! `<CORSRule>` elements with singular child names, in any order, with or
//! without the namespace and the XML declaration. A small reader of exactly
//! this format: elements, text, the five predefined entities and character
//! references, comments and processing instructions; nothing else.

use crate::model::{CorsConfiguration, CorsRule};

/// S3's limit on the XML document.
const MAX_DOCUMENT_LEN: usize = 64 * 1024;

/// The namespace S3 writes.
const NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// Parses the XML form.
pub(crate) fn parse(text: &str) -> Result<CorsConfiguration, String> {
    if text.len() > MAX_DOCUMENT_LEN {
        return Err(format!(
            "the document is {} bytes; S3 accepts at most {MAX_DOCUMENT_LEN}",
            text.len()
        ));
    }
    let mut reader = Reader { text, pos: 0 };
    reader.skip_misc()?;
    let (root, empty) = reader.start_tag()?;
    if root != "CORSConfiguration" {
        return Err(format!(
            "the root element is <{root}>; expected <CORSConfiguration>"
        ));
    }
    let mut config = CorsConfiguration::default();
    if !empty {
        while let Some((name, empty)) = reader.child_or_end("CORSConfiguration")? {
            if name != "CORSRule" {
                return Err(format!(
                    "unexpected <{name}> in <CORSConfiguration>; expected <CORSRule>"
                ));
            }
            config.rules.push(if empty {
                CorsRule::default()
            } else {
                reader.rule()?
            });
        }
    }
    reader.skip_misc()?;
    if reader.pos < text.len() {
        return Err(format!(
            "unexpected content after </CORSConfiguration> at byte {}",
            reader.pos
        ));
    }
    Ok(config)
}

struct Reader<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Reader<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    fn error<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {}", self.pos))
    }

    /// Skips whitespace, comments and processing instructions (`<?xml ...?>`).
    fn skip_misc(&mut self) -> Result<(), String> {
        loop {
            let trimmed = self.rest().trim_start();
            self.pos = self.text.len() - trimmed.len();
            let (open, close) = if trimmed.starts_with("<?") {
                ("<?", "?>")
            } else if trimmed.starts_with("<!--") {
                ("<!--", "-->")
            } else {
                return Ok(());
            };
            match trimmed[open.len()..].find(close) {
                Some(end) => self.pos += open.len() + end + close.len(),
                None => return self.error(&format!("unterminated `{open}`")),
            }
        }
    }

    /// Reads `<Name attributes>` or `<Name/>`: the name, and whether it was empty.
    fn start_tag(&mut self) -> Result<(&'t str, bool), String> {
        let Some(tag) = self.rest().strip_prefix('<') else {
            return self.error("expected an element");
        };
        let Some(end) = tag.find('>') else {
            return self.error("unterminated tag");
        };
        let inside = &tag[..end];
        let empty = inside.ends_with('/');
        let inside = inside.strip_suffix('/').unwrap_or(inside);
        let name_end = inside
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inside.len());
        let name = &inside[..name_end];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
        {
            return self.error(&format!("invalid element name `{name}`"));
        }
        self.check_attributes(&inside[name_end..])?;
        self.pos += 1 + end + 1;
        Ok((name, empty))
    }

    /// Attributes are allowed only as S3 writes them: `xmlns="<S3's namespace>"`.
    fn check_attributes(&self, attributes: &str) -> Result<(), String> {
        let attributes = attributes.trim();
        if attributes.is_empty() {
            return Ok(());
        }
        let expected = [
            format!("xmlns=\"{NAMESPACE}\""),
            format!("xmlns='{NAMESPACE}'"),
        ];
        if expected.iter().any(|e| e == attributes) {
            Ok(())
        } else {
            self.error(&format!(
                "unexpected attributes `{attributes}` (only xmlns=\"{NAMESPACE}\" is allowed)"
            ))
        }
    }

    /// The next child element of `parent`, or `None` at `</parent>`.
    fn child_or_end(&mut self, parent: &str) -> Result<Option<(&'t str, bool)>, String> {
        self.skip_misc()?;
        let close = format!("</{parent}>");
        if self.rest().starts_with(&close) {
            self.pos += close.len();
            return Ok(None);
        }
        if self.rest().is_empty() {
            return self.error(&format!("missing {close}"));
        }
        self.start_tag().map(Some)
    }

    /// The text of an element whose start tag was just read, up to `</name>`.
    fn text_of(&mut self, name: &str) -> Result<String, String> {
        let close = format!("</{name}>");
        let Some(end) = self.rest().find(&close) else {
            return self.error(&format!("missing {close}"));
        };
        let raw = &self.rest()[..end];
        if raw.contains('<') {
            return self.error(&format!("<{name}> may hold only text"));
        }
        let text = decode(raw).map_err(|e| format!("{e} at byte {}", self.pos))?;
        self.pos += end + close.len();
        Ok(text)
    }

    /// The children of a `<CORSRule>`.
    fn rule(&mut self) -> Result<CorsRule, String> {
        let mut rule = CorsRule::default();
        while let Some((name, empty)) = self.child_or_end("CORSRule")? {
            let value = if empty {
                String::new()
            } else {
                self.text_of(name)?
            };
            match name {
                "ID" if rule.id.is_none() => rule.id = Some(value),
                "AllowedOrigin" => rule.allowed_origins.push(value),
                "AllowedMethod" => rule.allowed_methods.push(value),
                "AllowedHeader" => rule.allowed_headers.push(value),
                "ExposeHeader" => rule.expose_headers.push(value),
                "MaxAgeSeconds" if rule.max_age_seconds.is_none() => {
                    let seconds = value.trim().parse::<i64>().map_err(|_| {
                        format!("<MaxAgeSeconds> must be a whole number, not `{value}`")
                    })?;
                    rule.max_age_seconds = Some(seconds);
                }
                "ID" | "MaxAgeSeconds" => return self.error(&format!("<{name}> appears twice in one <CORSRule>")),
                other => {
                    return self.error(&format!(
                        "unexpected <{other}> in <CORSRule>; expected ID, AllowedOrigin, AllowedMethod, AllowedHeader, ExposeHeader or MaxAgeSeconds"
                    ))
                }
            }
        }
        Ok(rule)
    }
}

/// Replaces entity and character references.
fn decode(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';') else {
            return Err("a `&` without `;`".into());
        };
        let entity = &after[..semi];
        let decoded = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(decimal) = entity.strip_prefix('#') {
                    decimal.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .ok_or_else(|| format!("unknown entity `&{entity};`"))?
            }
        };
        out.push(decoded);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Escapes text for element content.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The canonical form, as `GetBucketCors` answers: S3's namespace, no
/// declaration, no whitespace, each rule's children in the order ID,
/// AllowedOrigin, AllowedMethod, AllowedHeader, ExposeHeader, MaxAgeSeconds.
pub(crate) fn serialize(config: &CorsConfiguration) -> String {
    let mut out = format!("<CORSConfiguration xmlns=\"{NAMESPACE}\">");
    for rule in &config.rules {
        out.push_str("<CORSRule>");
        let mut element = |name: &str, value: &str| {
            out.push_str(&format!("<{name}>{}</{name}>", escape(value)));
        };
        if let Some(id) = &rule.id {
            element("ID", id);
        }
        for (name, values) in [
            ("AllowedOrigin", &rule.allowed_origins),
            ("AllowedMethod", &rule.allowed_methods),
            ("AllowedHeader", &rule.allowed_headers),
            ("ExposeHeader", &rule.expose_headers),
        ] {
            for value in values {
                element(name, value);
            }
        }
        if let Some(seconds) = rule.max_age_seconds {
            element("MaxAgeSeconds", &seconds.to_string());
        }
        out.push_str("</CORSRule>");
    }
    out.push_str("</CORSConfiguration>");
    out
}
