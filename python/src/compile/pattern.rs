//! `match` statements (PEP 634): each case's pattern becomes a chain of tests on the value on
//! top of the stack, built from ordinary instructions plus the few `vm/pattern.rs` answers
//! (`MatchSequence`, `MatchMapping`, `MatchClass`, `GetLen`).
//!
//! ```text
//!   match s:            s
//!     case [x, 1]:      Copy(1) MatchSequence PopJumpIfFalse(F1) GetLen 2 == PopJumpIfFalse(F1)
//!       B1                UnpackSequence(2) (store x) 1 == PopJumpIfFalse(F0)  Pop  B1  Jump END
//!     case _: B2        F1: Pop  F0:  Copy(1) Pop  Pop  B2  Jump END
//!                       Pop  END:
//! ```
//!
//! A failing test jumps to the failure label of the stack depth it leaves (`Fail`): the labels
//! pop down to the subject, so nested patterns need no bookkeeping at run time. Captures store
//! as soon as they match (names bound by a failed case may stay bound, as PEP 634 allows).

use super::{CResult, Compiler};
use crate::bytecode::{CmpOp, Op};
use ruff_python_ast::{self as ast, Pattern};

/// The failure jumps of one pattern: `jumps[i]` are taken with `i` items above the base.
#[derive(Default)]
struct Fail(Vec<Vec<usize>>);

fn is_wildcard(p: &Pattern) -> bool {
    match p {
        Pattern::MatchAs(a) => a.pattern.is_none() && a.name.is_none(),
        Pattern::MatchStar(s) => s.name.is_none(),
        _ => false,
    }
}

impl<'a, 'h> Compiler<'a, 'h> {
    pub fn match_stmt(&mut self, m: &'a ast::StmtMatch) -> CResult {
        self.expr(&m.subject)?;
        let mut ends = vec![];
        for (i, case) in m.cases.iter().enumerate() {
            self.set_line(&case.pattern);
            if i + 1 < m.cases.len()
                && case.guard.is_none()
                && let Some(irr) = case.pattern.irrefutable_pattern()
            {
                let what = match irr.kind {
                    ast::IrrefutablePatternKind::Name(n) => format!("name capture '{n}'"),
                    ast::IrrefutablePatternKind::Wildcard => "wildcard".to_string(),
                };
                let msg = format!("{what} makes remaining patterns unreachable");
                return Err(self.error(&case.pattern, msg));
            }
            let mut fail = Fail::default();
            self.emit(Op::Copy(1));
            self.pattern(&case.pattern, 1, &mut fail)?;
            if let Some(g) = &case.guard {
                self.set_line(&**g);
                self.expr(g)?;
                self.fail_jump(&mut fail, 0);
            }
            self.emit(Op::Pop);
            self.body(&case.body)?;
            ends.push(self.emit(Op::Jump(0)));
            self.fail_labels(fail, 0);
        }
        self.emit(Op::Pop);
        for e in ends {
            self.patch(e);
        }
        Ok(())
    }

    /// A conditional jump to the failure label of `depth` (the test's bool is popped).
    fn fail_jump(&mut self, fail: &mut Fail, depth: usize) {
        let j = self.emit(Op::PopJumpIfFalse(0));
        if fail.0.len() <= depth {
            fail.0.resize_with(depth + 1, Vec::new);
        }
        fail.0[depth].push(j);
    }

    /// The failure labels: each pops one item and falls into the next, down to `base`.
    fn fail_labels(&mut self, fail: Fail, base: usize) {
        for (i, jumps) in fail.0.into_iter().enumerate().rev() {
            for j in jumps {
                self.patch(j);
            }
            if i > base {
                self.emit(Op::Pop);
            }
        }
    }

    /// Match the value on top (`depth` items above the base, it included): on success it is
    /// consumed and the code falls through; on failure it jumps to a label of `fail`.
    fn pattern(&mut self, p: &'a Pattern, depth: usize, fail: &mut Fail) -> CResult {
        match p {
            Pattern::MatchValue(v) => {
                self.expr(&v.value)?;
                self.emit(Op::Compare(CmpOp::Eq));
                self.fail_jump(fail, depth - 1);
            }
            Pattern::MatchSingleton(s) => {
                let o = match s.value {
                    ast::Singleton::None => self.heap.none(),
                    ast::Singleton::True => self.heap.bool(true),
                    ast::Singleton::False => self.heap.bool(false),
                };
                self.load_const(o);
                self.emit(Op::Is(false));
                self.fail_jump(fail, depth - 1);
            }
            Pattern::MatchAs(a) => match (&a.pattern, &a.name) {
                (None, None) => {
                    self.emit(Op::Pop);
                }
                (None, Some(n)) => self.name_op(n.as_str(), 1),
                (Some(sub), None) => self.pattern(sub, depth, fail)?,
                (Some(sub), Some(n)) => {
                    self.emit(Op::Copy(1));
                    self.pattern(sub, depth + 1, fail)?;
                    self.name_op(n.as_str(), 1);
                }
            },
            Pattern::MatchOr(o) => {
                let (last, alts) = o.patterns.split_last().expect("alternatives");
                let mut done = vec![];
                for alt in alts {
                    let mut sub = Fail::default();
                    self.emit(Op::Copy(1));
                    self.pattern(alt, depth + 1, &mut sub)?;
                    self.emit(Op::Pop);
                    done.push(self.emit(Op::Jump(0)));
                    self.fail_labels(sub, depth);
                }
                self.pattern(last, depth, fail)?;
                for d in done {
                    self.patch(d);
                }
            }
            Pattern::MatchStar(_) => {
                return Err(self.error(p, "can't use starred name here"));
            }
            Pattern::MatchSequence(s) => self.sequence_pattern(&s.patterns, depth, fail)?,
            Pattern::MatchMapping(m) => self.mapping_pattern(m, depth, fail)?,
            Pattern::MatchClass(c) => self.class_pattern(c, depth, fail)?,
        }
        Ok(())
    }

    fn sequence_pattern(&mut self, pats: &'a [Pattern], depth: usize, fail: &mut Fail) -> CResult {
        let stars: Vec<usize> = pats
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p, Pattern::MatchStar(_)))
            .map(|(i, _)| i)
            .collect();
        if stars.len() > 1 {
            return Err(self.error(
                &pats[stars[1]],
                "multiple starred names in sequence pattern",
            ));
        }
        let star = stars.first().copied();
        let n = pats.len();
        self.emit(Op::MatchSequence);
        self.fail_jump(fail, depth);
        let (want, cmp) = match star {
            None => (n, CmpOp::Eq),
            Some(_) => (n - 1, CmpOp::Ge),
        };
        if star.is_none() || want > 0 {
            self.emit(Op::GetLen);
            let k = self.rt(self.heap.int(want as i64))?;
            self.load_const(k);
            self.emit(Op::Compare(cmp));
            self.fail_jump(fail, depth);
        }
        if pats.iter().all(is_wildcard) {
            self.emit(Op::Pop);
            return Ok(());
        }
        match star {
            None => self.emit(Op::UnpackSequence(n as u32)),
            Some(i) => self.emit(Op::UnpackEx(i as u32, (n - i - 1) as u32)),
        };
        for (k, sub) in pats.iter().enumerate() {
            match sub {
                Pattern::MatchStar(s) => match &s.name {
                    Some(name) => self.name_op(name.as_str(), 1),
                    None => {
                        self.emit(Op::Pop);
                    }
                },
                _ => self.pattern(sub, depth - 1 + n - k, fail)?,
            }
        }
        Ok(())
    }

    fn mapping_pattern(
        &mut self,
        m: &'a ast::PatternMatchMapping,
        depth: usize,
        fail: &mut Fail,
    ) -> CResult {
        self.emit(Op::MatchMapping);
        self.fail_jump(fail, depth);
        if !m.keys.is_empty() {
            self.emit(Op::GetLen);
            let k = self.rt(self.heap.int(m.keys.len() as i64))?;
            self.load_const(k);
            self.emit(Op::Compare(CmpOp::Ge));
            self.fail_jump(fail, depth);
        }
        for (key, sub) in m.keys.iter().zip(m.patterns.iter()) {
            // `key in subject`, then `subject[key]` matched by the sub-pattern.
            self.emit(Op::Copy(1));
            self.expr(key)?;
            self.emit(Op::Swap(2));
            self.emit(Op::In(false));
            self.fail_jump(fail, depth);
            self.emit(Op::Copy(1));
            self.expr(key)?;
            self.emit(Op::Subscr);
            self.pattern(sub, depth + 1, fail)?;
        }
        match &m.rest {
            Some(rest) => {
                // rest = dict(subject) without the keys.
                self.emit(Op::BuildMap(0));
                self.emit(Op::Copy(2));
                self.emit(Op::DictUpdate(1));
                for key in &m.keys {
                    self.emit(Op::Copy(1));
                    self.expr(key)?;
                    self.emit(Op::DeleteSubscr);
                }
                self.emit(Op::Swap(2));
                self.emit(Op::Pop);
                self.name_op(rest.as_str(), 1);
            }
            None => {
                self.emit(Op::Pop);
            }
        }
        Ok(())
    }

    fn class_pattern(
        &mut self,
        c: &'a ast::PatternMatchClass,
        depth: usize,
        fail: &mut Fail,
    ) -> CResult {
        let args = &c.arguments;
        let mut names = vec![];
        for k in &args.keywords {
            names.push(self.interned(k.attr.as_str())?);
        }
        self.expr(&c.cls)?;
        let t = self.rt(self.heap.tuple(&names))?;
        self.load_const(t.into_obj());
        self.emit(Op::MatchClass(args.patterns.len() as u32));
        // [attrs or None]
        self.emit(Op::Copy(1));
        self.load_none();
        self.emit(Op::Is(true));
        self.fail_jump(fail, depth);
        let subs: Vec<&'a Pattern> = args
            .patterns
            .iter()
            .chain(args.keywords.iter().map(|k| &k.pattern))
            .collect();
        if subs.iter().all(|p| is_wildcard(p)) {
            self.emit(Op::Pop);
            return Ok(());
        }
        let n = subs.len();
        self.emit(Op::UnpackSequence(n as u32));
        for (k, sub) in subs.into_iter().enumerate() {
            self.pattern(sub, depth - 1 + n - k, fail)?;
        }
        Ok(())
    }
}
