//! The XML form of `PUT/GET /?cors`: `<CORSConfiguration>` holding flattened
//! `<CORSRule>` elements with singular child names, in any order.
//!
//! A small namespace-aware reader of exactly this format. It accepts what S3
//! accepts and, where S3 is silent, what any XML 1.0 reader accepts:
//!
//! - the XML declaration, comments and processing instructions wherever
//!   markup may appear, inside values too (`<AllowedOrigin>https://a<!-- x
//!   -->.example</AllowedOrigin>` is `https://a.example`); a leading UTF-8
//!   byte-order mark is skipped by the loader;
//! - S3's namespace as the default namespace, bound to any prefix
//!   (`<s3:CORSConfiguration xmlns:s3="...">`), or no namespace at all; other
//!   namespace declarations (`xmlns:xsi`) and other attributes are ignored;
//! - CDATA sections, the five predefined entities and character references;
//! - whitespace before `>` or `/>` in start and end tags;
//! - values with surrounding whitespace, trimmed as S3 trims them
//!   (`<AllowedMethod> GET </AllowedMethod>` is `GET`).
//!
//! Refused: a `<!DOCTYPE>` (no DTD, so no entity ever expands), elements in
//! another namespace or under an undeclared prefix, end tags that do not
//! match, text outside values, elements inside values and anything after
//! the root element. Values are not otherwise checked here: validation
//! refuses control characters, which XML could not carry back.

use std::borrow::Cow;

use crate::model::{trim_space, CorsConfiguration, CorsRule};
use crate::report::shorten;
use cors_grammar::work;

/// The namespace S3 writes.
const NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// The most attributes a start tag may have (S3's elements need one, the
/// namespace declaration); this bounds the work of checking them.
const MAX_ATTRIBUTES: usize = 32;

/// The namespace the `xml` prefix is bound to by definition.
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// Parses the XML form.
pub(crate) fn parse(text: &str) -> Result<CorsConfiguration, String> {
    let mut reader = Reader {
        text,
        pos: 0,
        scopes: Vec::new(),
    };
    let root = loop {
        match reader.next()? {
            Token::Text(text) if is_space(&text) => continue,
            Token::Start(tag) => break tag,
            Token::Eof => return reader.error("no <CORSConfiguration> element"),
            Token::Text(_) | Token::End(_) => return reader.error("expected <CORSConfiguration>"),
        }
    };
    let local = reader.open(&root)?;
    if local != "CORSConfiguration" {
        return Err(format!(
            "the root element is <{}>; expected <CORSConfiguration>",
            shorten(root.name)
        ));
    }
    let mut config = CorsConfiguration::default();
    if !root.empty {
        while let Some(tag) = reader.child(root.name, "CORSConfiguration")? {
            if reader.open(&tag)? != "CORSRule" {
                return Err(format!(
                    "unexpected <{}> in <CORSConfiguration>; expected <CORSRule>",
                    shorten(tag.name)
                ));
            }
            config.rules.push(if tag.empty {
                CorsRule::default()
            } else {
                reader.rule(tag.name)?
            });
            reader.close();
        }
    }
    reader.close();
    loop {
        match reader.next()? {
            Token::Eof => return Ok(config),
            Token::Text(text) if is_space(&text) => continue,
            _ => return reader.error("unexpected content after </CORSConfiguration>"),
        }
    }
}

/// XML whitespace only (or nothing).
fn is_space(text: &str) -> bool {
    trim_space(text).is_empty()
}

/// A piece of the document: comments and processing instructions are
/// skipped by the reader, CDATA sections and references become text.
enum Token<'t> {
    Start(Tag<'t>),
    End(&'t str),
    Text(Cow<'t, str>),
    Eof,
}

/// A start tag: its qualified name, attributes (values decoded) and whether
/// it was empty (`<Name/>`).
struct Tag<'t> {
    name: &'t str,
    attributes: Vec<(&'t str, String)>,
    empty: bool,
}

struct Reader<'t> {
    text: &'t str,
    pos: usize,
    /// The namespace declarations of each open element: `(prefix, uri)`,
    /// the prefix `""` for the default namespace.
    scopes: Vec<Vec<(&'t str, String)>>,
}

impl<'t> Reader<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    fn error<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {}", self.pos))
    }

    /// Moves past `close`, which must follow; `what` names the construct.
    fn skip_past(&mut self, close: &str, what: &str) -> Result<&'t str, String> {
        let rest = self.rest();
        match rest.find(close) {
            Some(end) => {
                work::add(end + close.len());
                self.pos += end + close.len();
                Ok(&rest[..end])
            }
            None => {
                work::add(rest.len());
                self.error(&format!("unterminated {what}"))
            }
        }
    }

    fn next(&mut self) -> Result<Token<'t>, String> {
        loop {
            work::step();
            let rest = self.rest();
            if rest.is_empty() {
                return Ok(Token::Eof);
            }
            if let Some(comment) = rest.strip_prefix("<!--") {
                self.pos += rest.len() - comment.len();
                self.skip_past("-->", "comment")?;
            } else if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
                self.pos += rest.len() - cdata.len();
                return self
                    .skip_past("]]>", "CDATA section")
                    .map(|t| Token::Text(t.into()));
            } else if rest.starts_with("<!") {
                return self.error("a `<!DOCTYPE>` or other declaration is not accepted (a CORS configuration needs no DTD)");
            } else if let Some(instruction) = rest.strip_prefix("<?") {
                self.pos += rest.len() - instruction.len();
                self.skip_past("?>", "processing instruction")?;
            } else if let Some(end) = rest.strip_prefix("</") {
                self.pos += 2;
                let name = self.name(end)?;
                self.skip_space();
                if !self.rest().starts_with('>') {
                    return self.error(&format!("expected `>` to end </{}", shorten(name)));
                }
                self.pos += 1;
                return Ok(Token::End(name));
            } else if let Some(start) = rest.strip_prefix('<') {
                self.pos += 1;
                return self.start_tag(start).map(Token::Start);
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                work::add(end);
                let text = decode(&rest[..end]).map_err(|e| format!("{e} at byte {}", self.pos))?;
                self.pos += end;
                return Ok(Token::Text(text));
            }
        }
    }

    /// A name at the start of `rest` (letters, digits, `_ : . -`, any
    /// non-ASCII character; not starting with a digit, `.` or `-`).
    fn name(&mut self, rest: &'t str) -> Result<&'t str, String> {
        let len = rest
            .find(|c: char| {
                !(c.is_alphanumeric() || matches!(c, '_' | ':' | '.' | '-') || !c.is_ascii())
            })
            .unwrap_or(rest.len());
        work::add(len + 1);
        let name = &rest[..len];
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '-')
        {
            let found: String = rest.chars().take(1).collect();
            return self.error(&format!(
                "expected a name, found `{}`",
                found.escape_debug()
            ));
        }
        self.pos += len;
        Ok(name)
    }

    fn skip_space(&mut self) -> usize {
        let rest = self.rest();
        let len = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
        work::add(len);
        self.pos += len;
        len
    }

    /// The rest of a start tag after `<`: name, attributes, `>` or `/>`.
    fn start_tag(&mut self, rest: &'t str) -> Result<Tag<'t>, String> {
        let name = self.name(rest)?;
        let mut attributes: Vec<(&'t str, String)> = Vec::new();
        loop {
            let space = self.skip_space();
            let rest = self.rest();
            if rest.starts_with("/>") || rest.starts_with('>') {
                let empty = rest.starts_with('/');
                self.pos += if empty { 2 } else { 1 };
                return Ok(Tag {
                    name,
                    attributes,
                    empty,
                });
            }
            if space == 0 {
                return self.error(&format!(
                    "expected whitespace, `>` or `/>` in <{}>",
                    shorten(name)
                ));
            }
            let attribute = self.name(rest)?;
            self.skip_space();
            if !self.rest().starts_with('=') {
                return self.error(&format!(
                    "expected `=` after the attribute `{}`",
                    shorten(attribute)
                ));
            }
            self.pos += 1;
            self.skip_space();
            let quote = match self.rest().chars().next() {
                Some(quote @ ('"' | '\'')) => quote,
                _ => return self.error("expected a quoted attribute value"),
            };
            self.pos += 1;
            let raw = self.skip_past(if quote == '"' { "\"" } else { "'" }, "attribute value")?;
            if raw.contains('<') {
                return self.error("`<` in an attribute value");
            }
            if attributes.len() == MAX_ATTRIBUTES {
                return self.error(&format!(
                    "<{}> has more than {MAX_ATTRIBUTES} attributes",
                    shorten(name)
                ));
            }
            work::add(attributes.len());
            if attributes.iter().any(|(a, _)| *a == attribute) {
                return self.error(&format!(
                    "the attribute `{}` appears twice",
                    shorten(attribute)
                ));
            }
            let value = decode(raw).map_err(|e| format!("{e} at byte {}", self.pos))?;
            attributes.push((attribute, value.into_owned()));
        }
    }

    /// Enters an element: records its namespace declarations and returns
    /// its local name, if it is in S3's namespace or in none.
    fn open(&mut self, tag: &Tag<'t>) -> Result<&'t str, String> {
        let mut declarations = Vec::new();
        for (attribute, value) in &tag.attributes {
            work::step();
            if *attribute == "xmlns" {
                declarations.push(("", value.clone()));
            } else if let Some(prefix) = attribute.strip_prefix("xmlns:") {
                if value.is_empty() {
                    return self.error(&format!("`xmlns:{}` cannot be empty", shorten(prefix)));
                }
                declarations.push((prefix, value.clone()));
            }
        }
        self.scopes.push(declarations);
        for (attribute, _) in &tag.attributes {
            if let Some((prefix, _)) = attribute.split_once(':') {
                if prefix != "xmlns" {
                    self.namespace(prefix)?;
                }
            }
        }
        let (prefix, local) = tag.name.split_once(':').unwrap_or(("", tag.name));
        if local.is_empty() || local.contains(':') {
            return self.error(&format!("invalid element name `{}`", shorten(tag.name)));
        }
        match self.namespace(prefix)? {
            None | Some(NAMESPACE) => Ok(local),
            Some(other) => self.error(&format!(
                "<{}> is in the namespace `{}`; S3's elements are in `{NAMESPACE}` or in no namespace",
                shorten(tag.name),
                shorten(other)
            )),
        }
    }

    /// Leaves the innermost element.
    fn close(&mut self) {
        self.scopes.pop();
    }

    /// The namespace `prefix` is bound to; `None` for no namespace.
    fn namespace(&self, prefix: &str) -> Result<Option<&str>, String> {
        let bound = self
            .scopes
            .iter()
            .rev()
            .flat_map(|scope| scope.iter().rev())
            .inspect(|_| work::step())
            .find(|(p, _)| *p == prefix);
        match (bound, prefix) {
            (Some((_, uri)), _) => Ok((!uri.is_empty()).then_some(uri.as_str())),
            (None, "") => Ok(None),
            (None, "xml") => Ok(Some(XML_NAMESPACE)),
            (None, _) => self.error(&format!("the prefix `{}` is not declared", shorten(prefix))),
        }
    }

    /// The next child element of the element `parent` (qualified name), or
    /// `None` at its end tag. Whitespace between children is skipped.
    fn child(&mut self, parent: &str, local: &str) -> Result<Option<Tag<'t>>, String> {
        loop {
            match self.next()? {
                Token::Text(text) if is_space(&text) => continue,
                Token::Text(text) => {
                    return self.error(&format!(
                        "unexpected text `{}` in <{local}>",
                        shorten(trim_space(&text))
                    ))
                }
                Token::Start(tag) => return Ok(Some(tag)),
                Token::End(name) if name == parent => return Ok(None),
                Token::End(name) => {
                    return self.error(&format!(
                        "</{}> does not close <{}>",
                        shorten(name),
                        shorten(parent)
                    ))
                }
                Token::Eof => return self.error(&format!("missing </{}>", shorten(parent))),
            }
        }
    }

    /// The text of the element `name` (qualified) whose start tag was just
    /// read, up to its end tag, trimmed of surrounding whitespace.
    fn value(&mut self, name: &str, local: &str) -> Result<String, String> {
        let mut value = String::new();
        loop {
            match self.next()? {
                Token::Text(text) => value.push_str(&text),
                Token::End(end) if end == name => break,
                Token::End(end) => {
                    return self.error(&format!(
                        "</{}> does not close <{}>",
                        shorten(end),
                        shorten(name)
                    ))
                }
                Token::Start(_) => return self.error(&format!("<{local}> may hold only text")),
                Token::Eof => return self.error(&format!("missing </{}>", shorten(name))),
            }
        }
        let trimmed = trim_space(&value);
        Ok(if trimmed.len() == value.len() {
            value
        } else {
            trimmed.to_owned()
        })
    }

    /// The children of a `<CORSRule>` (qualified name `name`).
    fn rule(&mut self, name: &str) -> Result<CorsRule, String> {
        let mut rule = CorsRule::default();
        while let Some(tag) = self.child(name, "CORSRule")? {
            let local = self.open(&tag)?;
            let value = if tag.empty {
                String::new()
            } else {
                self.value(tag.name, local)?
            };
            self.close();
            match local {
                "ID" if rule.id.is_none() => rule.id = Some(value),
                "AllowedOrigin" => rule.allowed_origins.push(value),
                "AllowedMethod" => rule.allowed_methods.push(value),
                "AllowedHeader" => rule.allowed_headers.push(value),
                "ExposeHeader" => rule.expose_headers.push(value),
                "MaxAgeSeconds" if rule.max_age_seconds.is_none() => {
                    let seconds = value.parse::<i64>().map_err(|_| {
                        format!("<MaxAgeSeconds> must be a whole number, not `{}`", shorten(&value))
                    })?;
                    rule.max_age_seconds = Some(seconds);
                }
                "ID" | "MaxAgeSeconds" => return self.error(&format!("<{local}> appears twice in one <CORSRule>")),
                other => {
                    return self.error(&format!(
                        "unexpected <{}> in <CORSRule>; expected ID, AllowedOrigin, AllowedMethod, AllowedHeader, ExposeHeader or MaxAgeSeconds",
                        shorten(other)
                    ))
                }
            }
        }
        Ok(rule)
    }
}

/// Replaces entity and character references; a reference must name one of
/// the five predefined entities or a character XML 1.0 allows.
fn decode(raw: &str) -> Result<Cow<'_, str>, String> {
    work::add(raw.len());
    if !raw.contains('&') {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        // The longest reference is `&#x10FFFF;`: look no further, so that a
        // document full of `&` costs linear time.
        let Some(semi) = after.bytes().take(12).position(|b| b == b';') else {
            return Err("a `&` that starts no reference (write `&amp;`)".into());
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
                    .filter(|c| is_xml_char(*c))
                    .ok_or_else(|| {
                        format!(
                            "unknown entity or invalid character reference `&{};`",
                            entity.escape_debug()
                        )
                    })?
            }
        };
        out.push(decoded);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// XML 1.0's `Char`: tab, LF, CR, and everything from U+0020 except
/// U+FFFE and U+FFFF (surrogates cannot occur in a `char`).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
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
