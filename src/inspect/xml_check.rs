//! A small XML well-formedness checker for tests (no dependency): balanced and properly nested
//! tags, one root element, quoted and unique attributes, only the five predefined entities or
//! character references after `&`, no `<` inside attribute values, comments and the `<?xml ?>`
//! prolog skipped. It returns the elements in document order so tests can query the structure.
//! Included with `#[path]` by `arena_svg`'s unit tests and by the facade's test suite (`tests/suite/main.rs`).

/// One element: its name, attributes in source order, parent index and direct text.
#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub parent: Option<usize>,
    pub text: String,
}

impl Element {
    /// The value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')
}

/// Check the entity references in `s` and return it unescaped.
fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..]
            .find(';')
            .ok_or_else(|| format!("unterminated entity in {s:?}"))?;
        let ent = &rest[i + 1..i + end];
        match ent {
            "amp" => out.push('&'),
            "lt" => out.push('<'),
            "gt" => out.push('>'),
            "quot" => out.push('"'),
            "apos" => out.push('\''),
            _ => {
                let code = if let Some(h) = ent.strip_prefix("#x") {
                    u32::from_str_radix(h, 16).ok()
                } else if let Some(d) = ent.strip_prefix('#') {
                    d.parse().ok()
                } else {
                    None
                };
                let c = code
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("unknown entity &{ent}; in {s:?}"))?;
                out.push(c);
            }
        }
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Parse `doc`; `Err` describes the first well-formedness error.
pub fn parse(doc: &str) -> Result<Vec<Element>, String> {
    let mut elems: Vec<Element> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut roots = 0;
    let mut s = doc;
    if let Some(r) = s.strip_prefix("<?xml") {
        let end = r.find("?>").ok_or("unterminated prolog")?;
        s = &r[end + 2..];
    }
    loop {
        let lt = s.find('<').unwrap_or(s.len());
        let text = unescape(&s[..lt])?;
        match stack.last() {
            Some(&top) => elems[top].text.push_str(&text),
            None if !text.trim().is_empty() => return Err(format!("text outside root: {text:?}")),
            None => {}
        }
        s = &s[lt..];
        if s.is_empty() {
            break;
        }
        if let Some(r) = s.strip_prefix("<!--") {
            let end = r.find("-->").ok_or("unterminated comment")?;
            s = &r[end + 3..];
            continue;
        }
        if let Some(r) = s.strip_prefix("</") {
            let end = r.find('>').ok_or("unterminated end tag")?;
            let name = r[..end].trim_end();
            let top = stack
                .pop()
                .ok_or_else(|| format!("</{name}> without start"))?;
            if elems[top].name != name {
                return Err(format!("</{name}> closes <{}>", elems[top].name));
            }
            s = &r[end + 1..];
            continue;
        }
        // A start tag.
        let r = &s[1..];
        let name_len = r.find(|c: char| !is_name_char(c)).unwrap_or(r.len());
        if name_len == 0 {
            return Err(format!("bad tag at {:?}", &s[..s.len().min(20)]));
        }
        let name = r[..name_len].to_string();
        let mut r = &r[name_len..];
        let mut attrs: Vec<(String, String)> = Vec::new();
        let self_closing;
        loop {
            let t = r.trim_start();
            let had_space = t.len() != r.len();
            r = t;
            if let Some(x) = r.strip_prefix("/>") {
                self_closing = true;
                r = x;
                break;
            }
            if let Some(x) = r.strip_prefix('>') {
                self_closing = false;
                r = x;
                break;
            }
            if !had_space {
                return Err(format!("<{name}>: attribute without preceding space"));
            }
            let n = r.find(|c: char| !is_name_char(c)).unwrap_or(r.len());
            if n == 0 {
                return Err(format!(
                    "<{name}>: bad attribute at {:?}",
                    &r[..r.len().min(20)]
                ));
            }
            let key = r[..n].to_string();
            r = r[n..].trim_start();
            r = r
                .strip_prefix('=')
                .ok_or_else(|| format!("<{name}>: attribute {key} without ="))?
                .trim_start();
            let q = r.chars().next().ok_or("eof in attribute")?;
            if q != '"' && q != '\'' {
                return Err(format!("<{name}>: unquoted attribute {key}"));
            }
            let end = r[1..].find(q).ok_or("unterminated attribute value")?;
            let raw = &r[1..1 + end];
            if raw.contains('<') {
                return Err(format!("<{name}>: '<' in attribute {key}"));
            }
            if attrs.iter().any(|(k, _)| *k == key) {
                return Err(format!("<{name}>: duplicate attribute {key}"));
            }
            attrs.push((key, unescape(raw)?));
            r = &r[1 + end + 1..];
        }
        if stack.is_empty() {
            roots += 1;
            if roots > 1 {
                return Err("more than one root element".into());
            }
        }
        elems.push(Element {
            name,
            attrs,
            parent: stack.last().copied(),
            text: String::new(),
        });
        if !self_closing {
            stack.push(elems.len() - 1);
        }
        s = r;
    }
    if let Some(&top) = stack.last() {
        return Err(format!("<{}> not closed", elems[top].name));
    }
    if roots == 0 {
        return Err("no root element".into());
    }
    Ok(elems)
}
