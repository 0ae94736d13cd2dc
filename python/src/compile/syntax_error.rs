//! SyntaxError as CPython 3.11 reports it: the message CPython's tokenizer or parser would
//! give, the line and column it points at, and the printed form with the caret line.
//!
//! ```text
//!   ruff's parse error ─┬─ bracket scan (CPython's tokenizer errors win):
//!                       │    unmatched ')' · closing ']' does not match '(' · '(' was never closed
//!                       └─ else ruff's message translated (`Expected `:`, found newline` →
//!                          "expected ':'", indentation → IndentationError, ...), generic ones
//!                          become "invalid syntax" at ruff's position
//!
//!     File "prog.py", line 3
//!       x = (1 +
//!           ^
//!   SyntaxError: '(' was never closed
//! ```

use super::CompileError;

/// The CPython error for a ruff parse error `msg` at 1-based (`line`, `col`) of `source`.
pub fn from_parse_error(source: &str, msg: &str, line: usize, col: usize) -> CompileError {
    let brackets = scan_brackets(source, None);
    if let Some(e) = brackets.mismatch {
        return e;
    }
    let here = scan_brackets(source, Some((line, col))).unclosed;
    let specific = translate(source, msg, line, col, here.map(|b| b.0));
    let at_end = line > source.lines().count()
        || source.lines().skip(line).all(|l| l.trim().is_empty())
            && source
                .lines()
                .nth(line - 1)
                .is_none_or(|l| l.chars().count() < col);
    // CPython names an unclosed bracket when its parser ran on past the bracket's line
    // (or to the end) before failing, and had nothing more specific to say.
    if let Some((ch, l, c)) = brackets.unclosed
        && (specific.is_none() || msg.starts_with("Expected `,`"))
        && (at_end || line > l)
    {
        return CompileError {
            msg: format!("'{ch}' was never closed"),
            line: l,
            col: c,
        };
    }
    CompileError {
        msg: specific.unwrap_or_else(|| "invalid syntax".into()),
        line,
        col,
    }
}

/// What an invalid assignment or delete target is, in CPython's words.
fn target_kind(text: &str) -> &'static str {
    let t = text.trim();
    let first = t.chars().next().unwrap_or(' ');
    match t {
        "None" => "None",
        "True" => "True",
        "False" => "False",
        _ if first.is_ascii_digit() || first == '"' || first == '\'' => "literal",
        _ if (first.is_alphabetic() || first == '_') && t.ends_with(')') && t.contains('(') => {
            "function call"
        }
        _ => "expression",
    }
}

/// CPython's wording for ruff's specific messages; `None` for the generic ones.
fn translate(
    source: &str,
    msg: &str,
    line: usize,
    col: usize,
    open: Option<char>,
) -> Option<String> {
    let text = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let from_col: String = text.chars().skip(col.saturating_sub(1)).collect();
    let m = msg;
    Some(if m == "Expected `:`, found newline" {
        "expected ':'".into()
    } else if m == "Expected `else`, found newline" {
        "expected 'else' after 'if' expression".into()
    } else if let Some(rest) = m.strip_prefix("Expected an indented block after ") {
        let what = rest
            .trim_end_matches(" statement")
            .trim_end_matches(" definition")
            .trim_matches('`');
        let kind = if rest.ends_with("definition") {
            "definition"
        } else {
            "statement"
        };
        let header = header_line(source, line, what);
        format!("expected an indented block after '{what}' {kind} on line {header}")
    } else if m == "Unexpected indentation" {
        "unexpected indent".into()
    } else if m.starts_with("unindent does not match") {
        m.to_string()
    } else if m == "missing closing quote in string literal" {
        if text.contains("\"\"\"") || text.contains("'''") {
            format!("unterminated triple-quoted string literal (detected at line {line})")
        } else {
            format!("unterminated string literal (detected at line {line})")
        }
    } else if m == "Iterable argument unpacking cannot follow keyword argument unpacking" {
        "iterable argument unpacking follows keyword argument unpacking".into()
    } else if m == "Parameter without a default cannot follow a parameter with a default" {
        "non-default argument follows default argument".into()
    } else if m == "Simple statements must be separated by newlines or semicolons"
        && text.trim_start().starts_with("print ")
    {
        "Missing parentheses in call to 'print'. Did you mean print(...)?".into()
    } else if m.starts_with("Expected `,`") && open.is_some() {
        "invalid syntax. Perhaps you forgot a comma?".into()
    } else if m.starts_with("Expected `:`") && open == Some('{') {
        "':' expected after dictionary key".into()
    } else if m == "Invalid assignment target" {
        let (target, rest) = from_col.split_once('=').unwrap_or((&from_col, ""));
        let kind = target_kind(target);
        if rest.starts_with('=') || !matches!(kind, "literal" | "function call" | "expression") {
            format!("cannot assign to {kind}")
        } else {
            format!("cannot assign to {kind} here. Maybe you meant '==' instead of '='?")
        }
    } else if m == "Invalid delete target" {
        format!("cannot delete {}", target_kind(&from_col))
    } else if m.starts_with("Expected")
        || m.starts_with("Unexpected")
        || m.starts_with("Simple")
        || m.starts_with("Invalid ")
        || m.contains("cannot be used here")
        || m == "unexpected EOF while parsing"
    {
        return None;
    } else {
        compile_message(m)
    })
}

/// CPython's wording for an error the compiler (not the parser) found.
pub fn compile_message(m: &str) -> String {
    match m {
        "'continue' outside loop" => "'continue' not properly in loop".into(),
        _ => m.to_string(),
    }
}

/// The line of the compound statement `kw` a block was missing under: the nearest line at
/// or before `line` starting with the keyword.
fn header_line(source: &str, line: usize, kw: &str) -> usize {
    let lines: Vec<&str> = source.lines().collect();
    let last = line.min(lines.len());
    (1..=last)
        .rev()
        .find(|&n| {
            let t = lines[n - 1].trim_start();
            t.starts_with(kw) || (kw == "function" && t.starts_with("def"))
        })
        .unwrap_or(line.saturating_sub(1).max(1))
}

struct Brackets {
    /// A tokenizer error: an unmatched or mismatched closing bracket.
    mismatch: Option<CompileError>,
    /// The innermost bracket still open at the end.
    unclosed: Option<(char, usize, usize)>,
}

/// Walk the source as CPython's tokenizer counts brackets (strings and comments skipped),
/// to the end or to just before 1-based (`line`, `col`) of `stop`.
fn scan_brackets(source: &str, stop: Option<(usize, usize)>) -> Brackets {
    let mut open: Vec<(char, usize, usize)> = vec![];
    let (mut line, mut col) = (1usize, 0usize);
    let mut chars = source.chars().peekable();
    let mut quote: Option<(char, bool)> = None;
    while let Some(c) = chars.next() {
        col += 1;
        if stop.is_some_and(|s| (line, col) >= s) {
            break;
        }
        if c == '\n' {
            line += 1;
            col = 0;
            if matches!(quote, Some((_, false))) {
                quote = None;
            }
            continue;
        }
        if let Some((q, triple)) = quote {
            if c == '\\' {
                if chars.next() == Some('\n') {
                    line += 1;
                    col = 0;
                } else {
                    col += 1;
                }
                continue;
            }
            if c == q {
                if !triple {
                    quote = None;
                } else if chars.peek() == Some(&q) {
                    chars.next();
                    if chars.peek() == Some(&q) {
                        chars.next();
                        col += 2;
                        quote = None;
                    } else {
                        col += 1;
                    }
                }
            }
            continue;
        }
        match c {
            '#' => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        line += 1;
                        col = 0;
                        break;
                    }
                }
            }
            '\'' | '"' => {
                let triple = chars.peek() == Some(&c) && {
                    let mut ahead = chars.clone();
                    ahead.next();
                    ahead.peek() == Some(&c)
                };
                if triple {
                    chars.next();
                    chars.next();
                    col += 2;
                }
                quote = Some((c, triple));
            }
            '(' | '[' | '{' => open.push((c, line, col)),
            ')' | ']' | '}' => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                match open.pop() {
                    None => {
                        return Brackets {
                            mismatch: Some(CompileError {
                                msg: format!("unmatched '{c}'"),
                                line,
                                col,
                            }),
                            unclosed: None,
                        };
                    }
                    Some((o, ol, _)) if o != want => {
                        let msg = if ol == line {
                            format!(
                                "closing parenthesis '{c}' does not match opening parenthesis '{o}'"
                            )
                        } else {
                            format!(
                                "closing parenthesis '{c}' does not match opening parenthesis '{o}' on line {ol}"
                            )
                        };
                        return Brackets {
                            mismatch: Some(CompileError { msg, line, col }),
                            unclosed: None,
                        };
                    }
                    Some(_) => {}
                }
            }
            _ => {}
        }
    }
    Brackets {
        mismatch: None,
        unclosed: open.last().copied(),
    }
}

/// Which exception class a compile error is (IndentationError for the indentation texts).
pub fn exception_name(e: &CompileError) -> &'static str {
    let m = e.msg.as_str();
    if m == "unexpected indent"
        || m.starts_with("unindent does not match")
        || m.starts_with("expected an indented block")
        || m == "unexpected unindent"
    {
        "IndentationError"
    } else {
        "SyntaxError"
    }
}

/// The text CPython prints for a SyntaxError in `filename` (stderr, before exit 1).
pub fn render(e: &CompileError, filename: &str, source: &str) -> String {
    let mut out = format!("  File \"{filename}\", line {}\n", e.line);
    if let Some(text) = source.lines().nth(e.line.saturating_sub(1)) {
        let stripped = text.trim_start();
        let indent = text.chars().count() - stripped.chars().count();
        let body = stripped.trim_end();
        if !body.is_empty() {
            out.push_str(&format!("    {body}\n"));
        }
        // CPython prints no caret under an unexpected indent.
        if !body.is_empty() && e.msg != "unexpected indent" {
            let caret = e.col.saturating_sub(1).saturating_sub(indent);
            out.push_str(&format!("    {}^\n", " ".repeat(caret)));
        }
    }
    out.push_str(&format!(
        "{}: {}\n",
        exception_name(e),
        compile_message(&e.msg)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message for a generic parse error at the end of `src`.
    fn msg(src: &str) -> String {
        let end = src.lines().count() + 1;
        from_parse_error(src, "Expected an expression", end, 1).msg
    }

    #[test]
    fn tokenizer_bracket_errors() {
        assert_eq!(msg("x = (1 +\n"), "'(' was never closed");
        assert_eq!(msg("x = )\n"), "unmatched ')'");
        assert_eq!(
            msg("x = (1]\n"),
            "closing parenthesis ']' does not match opening parenthesis '('"
        );
        assert_eq!(msg("x = '(' + \"[\" # {\n"), "invalid syntax");
        // The parser failed on the bracket's own line: CPython says only "invalid syntax".
        assert_eq!(
            from_parse_error("def f(:\n    pass\n", "Expected a parameter", 1, 7).msg,
            "invalid syntax"
        );
        assert_eq!(msg("s = '''(\n'''\n("), "'(' was never closed");
    }

    #[test]
    fn caret_under_the_column() {
        let e = CompileError {
            msg: "expected ':'".into(),
            line: 2,
            col: 12,
        };
        let r = render(&e, "f.py", "x = 1\n    if True\n");
        assert_eq!(
            r,
            "  File \"f.py\", line 2\n    if True\n           ^\nSyntaxError: expected ':'\n"
        );
    }
}
