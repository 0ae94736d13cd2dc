//! Expressions: operators, literals, calls, comprehensions, lambdas, f-strings.
//!
//! Comprehensions are nested functions (as in CPython 3.11): the outermost iterable is
//! evaluated outside and passed as the parameter `.0`; the body appends to a collection kept
//! on the stack under the iterator (`ListAppend(depth)`).

use super::scope::key;
use super::{CResult, Compiler};
use crate::bytecode::{BinOp, CmpOp, Op, UnOp};
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

#[derive(Clone, Copy)]
enum CompKind {
    List,
    Set,
    Dict,
    Gen,
}

impl<'a, 'h> Compiler<'a, 'h> {
    pub fn binop(op: ast::Operator) -> BinOp {
        use ast::Operator as O;
        match op {
            O::Add => BinOp::Add,
            O::Sub => BinOp::Sub,
            O::Mult => BinOp::Mul,
            O::MatMult => BinOp::MatMul,
            O::Div => BinOp::TrueDiv,
            O::Mod => BinOp::Mod,
            O::Pow => BinOp::Pow,
            O::LShift => BinOp::LShift,
            O::RShift => BinOp::RShift,
            O::BitOr => BinOp::Or,
            O::BitXor => BinOp::Xor,
            O::BitAnd => BinOp::And,
            O::FloorDiv => BinOp::FloorDiv,
        }
    }

    /// Compile an expression; its instructions carry its source range (CPython's `SET_LOC`,
    /// restored afterwards so the parent's own instructions keep the parent's range).
    pub fn expr(&mut self, e: &'a Expr) -> CResult {
        let loc = self.pos_of(e.range());
        let saved = self.set_loc(loc);
        let r = self.expr_here(e);
        self.set_loc(saved);
        r
    }

    fn expr_here(&mut self, e: &'a Expr) -> CResult {
        match e {
            Expr::NumberLiteral(_)
            | Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_) => {
                let o = self.constant(e)?.expect("a literal is a constant");
                self.load_const(o);
            }
            Expr::Tuple(t) if !t.elts.is_empty() && t.elts.iter().all(is_constant) => {
                // CPython's AST optimiser folds a tuple of constants into one constant: running
                // the display allocates nothing (and moves no `gc.get_count()`).
                let o = self.constant(e)?.expect("checked");
                self.load_const(o);
            }
            Expr::EllipsisLiteral(_) => {
                let i = self.name_index("Ellipsis");
                self.emit(Op::LoadGlobal(i));
            }
            Expr::Name(n) => self.name_op(n.id.as_str(), 0),
            Expr::BinOp(_) if folded_str(e).is_some() => {
                // CPython's AST optimiser folds `"hel" + "lo"` into one (interned) constant.
                let s = folded_str(e).expect("checked");
                let o = self.str_const(&s)?;
                self.load_const(o);
            }
            Expr::BinOp(b) if self.percent_as_fstring(b)? => {}
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.set_line(e);
                self.emit(Op::Binary(Self::binop(b.op)));
            }
            Expr::UnaryOp(u) => {
                self.expr(&u.operand)?;
                self.emit(Op::Unary(match u.op {
                    ast::UnaryOp::Invert => UnOp::Invert,
                    ast::UnaryOp::Not => UnOp::Not,
                    ast::UnaryOp::UAdd => UnOp::Pos,
                    ast::UnaryOp::USub => UnOp::Neg,
                }));
            }
            Expr::BoolOp(b) => {
                let mut ends = vec![];
                for (i, v) in b.values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < b.values.len() {
                        ends.push(self.emit(match b.op {
                            ast::BoolOp::And => Op::JumpIfFalseOrPop(0),
                            ast::BoolOp::Or => Op::JumpIfTrueOrPop(0),
                        }));
                    }
                }
                for j in ends {
                    self.patch(j);
                }
            }
            Expr::Compare(c) => self.compare(c)?,
            Expr::If(i) => {
                self.expr(&i.test)?;
                let jf = self.emit(Op::PopJumpIfFalse(0));
                self.expr(&i.body)?;
                let end = self.emit(Op::Jump(0));
                self.patch(jf);
                self.expr(&i.orelse)?;
                self.patch(end);
            }
            Expr::Named(n) => {
                self.expr(&n.value)?;
                self.emit(Op::Copy(1));
                self.store(&n.target)?;
            }
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.attr_index(a.attr.as_str());
                self.set_line(e);
                self.emit(Op::LoadAttr(i));
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.set_line(e);
                self.emit(Op::Subscr);
            }
            Expr::Slice(s) => {
                let mut n = 2;
                match &s.lower {
                    Some(l) => self.expr(l)?,
                    None => self.load_none(),
                }
                match &s.upper {
                    Some(u) => self.expr(u)?,
                    None => self.load_none(),
                }
                if let Some(st) = &s.step {
                    self.expr(st)?;
                    n = 3;
                }
                self.emit(Op::BuildSlice(n));
            }
            Expr::Tuple(t) => self.sequence(&t.elts, 0)?,
            Expr::List(l) => self.sequence(&l.elts, 1)?,
            Expr::Set(s) => self.sequence(&s.elts, 2)?,
            Expr::Dict(d) => {
                let simple = d.items.iter().all(|i| i.key.is_some());
                if simple {
                    for it in &d.items {
                        self.expr(it.key.as_ref().expect("key"))?;
                        self.expr(&it.value)?;
                    }
                    self.emit(Op::BuildMap(d.items.len() as u32));
                } else {
                    self.emit(Op::BuildMap(0));
                    for it in &d.items {
                        match &it.key {
                            Some(k) => {
                                self.expr(k)?;
                                self.expr(&it.value)?;
                                self.emit(Op::MapAdd(1));
                            }
                            None => {
                                self.expr(&it.value)?;
                                self.emit(Op::DictUpdate(1));
                            }
                        }
                    }
                }
            }
            Expr::Call(c) => self.call(c)?,
            Expr::Lambda(l) => {
                let mut fl = match &l.parameters {
                    Some(p) => self.defaults(p)?,
                    None => 0,
                };
                let line = self.line_of(ruff_text_size::Ranged::start(l));
                self.push_unit(key(l), "<lambda>", line, false);
                self.expr(&l.body)?;
                self.emit(Op::ReturnValue);
                let code = self.pop_unit(l.parameters.as_deref())?;
                fl |= self.closure(key(l));
                self.load_const(code);
                self.emit(Op::MakeFunction(fl));
            }
            Expr::ListComp(c) => self.comprehension(
                key(c),
                "<listcomp>",
                &c.generators,
                CompKind::List,
                &c.elt,
                None,
            )?,
            Expr::SetComp(c) => self.comprehension(
                key(c),
                "<setcomp>",
                &c.generators,
                CompKind::Set,
                &c.elt,
                None,
            )?,
            Expr::DictComp(c) => {
                let k = c
                    .key
                    .as_deref()
                    .ok_or_else(|| self.error(e, "invalid syntax"))?;
                self.comprehension(
                    key(c),
                    "<dictcomp>",
                    &c.generators,
                    CompKind::Dict,
                    k,
                    Some(&c.value),
                )?
            }
            Expr::Generator(c) => self.comprehension(
                key(c),
                "<genexpr>",
                &c.generators,
                CompKind::Gen,
                &c.elt,
                None,
            )?,
            Expr::Yield(y) => {
                match &y.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_none(),
                }
                self.emit(Op::YieldValue);
            }
            Expr::YieldFrom(y) => {
                self.expr(&y.value)?;
                self.emit(Op::GetIter);
                self.load_none();
                self.emit(Op::YieldFrom);
            }
            Expr::FString(f) => self.fstring(f)?,
            Expr::Starred(_) => return Err(self.error(e, "can't use starred expression here")),
            Expr::Await(_) | Expr::TString(_) | Expr::IpyEscapeCommand(_) => {
                return Err(self.error(e, "this expression is not supported by pyheap"));
            }
        }
        Ok(())
    }

    pub fn str_const(&self, v: &str) -> CResult<pyheap_runtime::Obj<'h>> {
        // CPython interns string constants that look like identifiers.
        if v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            self.interned(v)
        } else {
            self.rt(self.heap.str(v).map(|s| s.into_obj()))
        }
    }

    /// Build a tuple (0), list (1) or set (2), with starred items.
    /// The object of a constant expression ([`is_constant`]): a literal, or a tuple of them
    /// (made here, at compile time, as CPython's folded tuples). `None` for anything else.
    fn constant(&mut self, e: &Expr) -> CResult<Option<pyheap_runtime::Obj<'h>>> {
        let o = match e {
            Expr::NumberLiteral(n) => match &n.value {
                ast::Number::Int(i) => match i.as_i64() {
                    Some(v) => self.rt(self.heap.int(v))?,
                    // The literal's text, prefix and underscores included (base 0 reads them).
                    None => self.rt(self.heap.int_from_str(&i.to_string(), 0))?,
                },
                ast::Number::Float(f) => self.rt(self.heap.float(*f))?,
                ast::Number::Complex { .. } => {
                    return Err(self.error(e, "complex numbers are not supported by pyheap"));
                }
            },
            Expr::StringLiteral(s) => self.str_const(s.value.to_str())?,
            Expr::BytesLiteral(b) => {
                let data: Vec<u8> = b.value.bytes().collect();
                self.rt(crate::objects::bytes::new(self.heap, &data))?
            }
            Expr::BooleanLiteral(b) => self.heap.bool(b.value),
            Expr::NoneLiteral(_) => self.heap.none(),
            Expr::Tuple(t) if t.elts.iter().all(is_constant) => {
                let mut items = Vec::with_capacity(t.elts.len());
                for x in &t.elts {
                    items.push(self.constant(x)?.expect("checked"));
                }
                self.rt(self.heap.tuple(&items))?.into_obj()
            }
            _ => return Ok(None),
        };
        Ok(Some(o))
    }

    fn sequence(&mut self, elts: &'a [Expr], kind: u8) -> CResult {
        let starred = elts.iter().any(|e| matches!(e, Expr::Starred(_)));
        if !starred {
            for e in elts {
                self.expr(e)?;
            }
            let n = elts.len() as u32;
            self.emit([Op::BuildTuple(n), Op::BuildList(n), Op::BuildSet(n)][kind as usize]);
            return Ok(());
        }
        self.emit(if kind == 2 {
            Op::BuildSet(0)
        } else {
            Op::BuildList(0)
        });
        for e in elts {
            match e {
                Expr::Starred(s) => {
                    self.expr(&s.value)?;
                    self.emit(if kind == 2 {
                        Op::SetUpdate(1)
                    } else {
                        Op::ListExtend(1)
                    });
                }
                e => {
                    self.expr(e)?;
                    self.emit(if kind == 2 {
                        Op::SetAdd(1)
                    } else {
                        Op::ListAppend(1)
                    });
                }
            }
        }
        if kind == 0 {
            self.emit(Op::ListToTuple);
        }
        Ok(())
    }

    fn compare(&mut self, c: &'a ast::ExprCompare) -> CResult {
        self.expr(&c.left)?;
        let n = c.ops.len();
        let mut cleanup = vec![];
        for (i, (op, right)) in c.ops.iter().zip(c.comparators.iter()).enumerate() {
            self.expr(right)?;
            if i + 1 < n {
                self.emit(Op::Swap(2));
                self.emit(Op::Copy(2));
            }
            self.emit(Self::cmp_op(*op));
            if i + 1 < n {
                cleanup.push(self.emit(Op::JumpIfFalseOrPop(0)));
            }
        }
        if !cleanup.is_empty() {
            let end = self.emit(Op::Jump(0));
            for j in cleanup {
                self.patch(j);
            }
            // [right, False] → [False]
            self.emit(Op::Swap(2));
            self.emit(Op::Pop);
            self.patch(end);
        }
        Ok(())
    }

    fn cmp_op(op: ast::CmpOp) -> Op {
        use ast::CmpOp as C;
        match op {
            C::Eq => Op::Compare(CmpOp::Eq),
            C::NotEq => Op::Compare(CmpOp::Ne),
            C::Lt => Op::Compare(CmpOp::Lt),
            C::LtE => Op::Compare(CmpOp::Le),
            C::Gt => Op::Compare(CmpOp::Gt),
            C::GtE => Op::Compare(CmpOp::Ge),
            C::Is => Op::Is(false),
            C::IsNot => Op::Is(true),
            C::In => Op::In(false),
            C::NotIn => Op::In(true),
        }
    }

    fn call(&mut self, c: &'a ast::ExprCall) -> CResult {
        let args = &c.arguments;
        let dynamic = args.args.iter().any(|a| matches!(a, Expr::Starred(_)))
            || args.keywords.iter().any(|k| k.arg.is_none());
        // super() without arguments: pass __class__ and the first argument explicitly.
        if let Expr::Name(n) = &*c.func
            && n.id.as_str() == "super"
            && args.args.is_empty()
            && args.keywords.is_empty()
            && self.scope().freevars.iter().any(|f| f == "__class__")
        {
            self.name_op("super", 0);
            self.name_op("__class__", 0);
            match self.scope().varnames.first().cloned() {
                Some(first) => self.name_op(&first, 0),
                None => return Err(self.error(c, "super(): no arguments")),
            }
            self.set_line(c);
            self.emit(Op::Call(2));
            return Ok(());
        }
        // obj.method(args): no bound method object.
        if let Expr::Attribute(a) = &*c.func
            && !dynamic
            && args.keywords.is_empty()
        {
            self.expr(&a.value)?;
            let i = self.attr_index(a.attr.as_str());
            // The method lookup has the attribute's location (an AttributeError points there).
            let loc = self.pos_of(c.func.range());
            let saved = self.set_loc(loc);
            self.emit(Op::LoadMethod(i));
            self.set_loc(saved);
            for x in args.args.iter() {
                self.expr(x)?;
            }
            self.set_line(c);
            self.emit(Op::CallMethod(args.args.len() as u32));
            return Ok(());
        }
        self.expr(&c.func)?;
        if dynamic {
            match &args.args[..] {
                // `f(*xs)`: CPython passes `xs` itself (CallEx makes the tuple if it is not one).
                [Expr::Starred(s)] => self.expr(&s.value)?,
                all => self.sequence(all, 0)?,
            }
            let has_kw = !args.keywords.is_empty();
            if has_kw {
                self.emit(Op::BuildMap(0));
                for k in args.keywords.iter() {
                    match &k.arg {
                        Some(a) => {
                            let s = self.interned(a.as_str())?;
                            self.load_const(s);
                            self.expr(&k.value)?;
                            self.emit(Op::MapAdd(1));
                        }
                        None => {
                            self.expr(&k.value)?;
                            self.emit(Op::DictUpdate(1));
                        }
                    }
                }
            } else {
                self.load_none();
            }
            self.set_line(c);
            self.emit(Op::CallEx);
            return Ok(());
        }
        for x in args.args.iter() {
            self.expr(x)?;
        }
        if args.keywords.is_empty() {
            self.set_line(c);
            self.emit(Op::Call(args.args.len() as u32));
        } else {
            let mut names = vec![];
            for k in args.keywords.iter() {
                self.expr(&k.value)?;
                names.push(self.interned(k.arg.as_ref().expect("kw").as_str())?);
            }
            let t = self.rt(self.heap.tuple(&names))?;
            self.load_const(t.into_obj());
            self.set_line(c);
            self.emit(Op::CallKw((args.args.len() + names.len()) as u32));
        }
        Ok(())
    }

    fn comprehension(
        &mut self,
        k: usize,
        name: &str,
        gens: &'a [ast::Comprehension],
        kind: CompKind,
        elt: &'a Expr,
        value: Option<&'a Expr>,
    ) -> CResult {
        let line = self.unit().line;
        self.push_unit(k, name, line, false);
        match kind {
            CompKind::List => {
                self.emit(Op::BuildList(0));
            }
            CompKind::Set => {
                self.emit(Op::BuildSet(0));
            }
            CompKind::Dict => {
                self.emit(Op::BuildMap(0));
            }
            CompKind::Gen => {}
        }
        self.emit(Op::LoadFast(0));
        self.comp_loop(gens, 0, kind, elt, value)?;
        if matches!(kind, CompKind::Gen) {
            self.load_none();
        }
        self.emit(Op::ReturnValue);
        let code = self.pop_unit(None)?;
        let fl = self.closure(k);
        self.load_const(code);
        self.emit(Op::MakeFunction(fl));
        self.expr(&gens[0].iter)?;
        self.emit(Op::GetIter);
        self.emit(Op::Call(1));
        Ok(())
    }

    /// One `for` of a comprehension; the iterator is on the stack.
    fn comp_loop(
        &mut self,
        gens: &'a [ast::Comprehension],
        i: usize,
        kind: CompKind,
        elt: &'a Expr,
        value: Option<&'a Expr>,
    ) -> CResult {
        let g = &gens[i];
        if i > 0 {
            self.expr(&g.iter)?;
            self.emit(Op::GetIter);
        }
        let start = self.here();
        let fi = self.emit(Op::ForIter(0));
        self.store(&g.target)?;
        let mut skips = vec![];
        for c in &g.ifs {
            self.expr(c)?;
            skips.push(self.emit(Op::PopJumpIfFalse(0)));
        }
        if i + 1 < gens.len() {
            self.comp_loop(gens, i + 1, kind, elt, value)?;
        } else {
            let depth = (gens.len() + 1) as u32;
            match kind {
                CompKind::List => {
                    self.expr(elt)?;
                    self.emit(Op::ListAppend(depth));
                }
                CompKind::Set => {
                    self.expr(elt)?;
                    self.emit(Op::SetAdd(depth));
                }
                CompKind::Dict => {
                    self.expr(elt)?;
                    self.expr(value.expect("dict value"))?;
                    self.emit(Op::MapAdd(depth));
                }
                CompKind::Gen => {
                    self.expr(elt)?;
                    self.emit(Op::YieldValue);
                    self.emit(Op::Pop);
                }
            }
        }
        for s in skips {
            self.patch(s);
        }
        self.emit(Op::Jump(start));
        self.patch(fi);
        Ok(())
    }

    /// `"..." % (a, b)` compiled as the f-string CPython's optimiser makes of it
    /// (`compile/percent.rs`); `false` (nothing emitted) when it does not apply.
    fn percent_as_fstring(&mut self, b: &'a ast::ExprBinOp) -> CResult<bool> {
        let (Expr::StringLiteral(fmt), Expr::Tuple(t)) = (&*b.left, &*b.right) else {
            return Ok(false);
        };
        if b.op != ast::Operator::Mod
            || t.elts.iter().any(|e| matches!(e, Expr::Starred(_)))
            || t.elts.iter().all(is_constant)
        {
            // An all-constant tuple is folded (and the `%` with it) by CPython instead.
            return Ok(false);
        }
        let Some(pieces) = super::percent::rewrite(fmt.value.to_str(), t.elts.len()) else {
            return Ok(false);
        };
        let mut items = t.elts.iter();
        for p in &pieces {
            match p {
                super::percent::Piece::Text(s) => {
                    let s = self.rt(self.heap.str(s))?;
                    self.load_const(s.into_obj());
                }
                super::percent::Piece::Value { conversion, spec } => {
                    self.expr(items.next().expect("one item per conversion"))?;
                    let mut code = *conversion;
                    if !spec.is_empty() {
                        let s = self.rt(self.heap.str(spec))?;
                        self.load_const(s.into_obj());
                        code |= 4;
                    }
                    self.emit(Op::FormatValue(code));
                }
            }
        }
        if pieces.len() > 1 {
            self.emit(Op::BuildString(pieces.len() as u32));
        }
        Ok(true)
    }

    fn fstring(&mut self, f: &'a ast::ExprFString) -> CResult {
        let mut n = 0;
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(l) => {
                    if !l.value.is_empty() {
                        let s = self.rt(self.heap.str(&l.value))?;
                        self.load_const(s.into_obj());
                        n += 1;
                    }
                }
                ast::FStringPart::FString(fs) => {
                    n += self.fstring_elements(&fs.elements)?;
                }
            }
        }
        if n == 0 {
            let s = self.rt(self.heap.str(""))?;
            self.load_const(s.into_obj());
        } else if n > 1 {
            self.emit(Op::BuildString(n));
        }
        Ok(())
    }

    fn fstring_elements(&mut self, els: &'a ast::InterpolatedStringElements) -> CResult<u32> {
        let mut n = 0;
        for el in els.iter() {
            match el {
                ast::InterpolatedStringElement::Literal(l) => {
                    let s = self.rt(self.heap.str(&l.value))?;
                    self.load_const(s.into_obj());
                    n += 1;
                }
                ast::InterpolatedStringElement::Interpolation(i) => {
                    let mut conv = match i.conversion {
                        ast::ConversionFlag::None => 0,
                        ast::ConversionFlag::Str => 3,
                        ast::ConversionFlag::Repr => 1,
                        ast::ConversionFlag::Ascii => 2,
                    };
                    if let Some(d) = &i.debug_text {
                        let text = format!("{}{}{}", d.leading(), d.expression(), d.trailing());
                        let s = self.rt(self.heap.str(&text))?;
                        self.load_const(s.into_obj());
                        n += 1;
                        if i.conversion == ast::ConversionFlag::None && i.format_spec.is_none() {
                            conv = 1;
                        }
                    }
                    self.expr(&i.expression)?;
                    if let Some(spec) = &i.format_spec {
                        let k = self.fstring_elements(&spec.elements)?;
                        if k == 0 {
                            let s = self.rt(self.heap.str(""))?;
                            self.load_const(s.into_obj());
                        } else if k > 1 {
                            self.emit(Op::BuildString(k));
                        }
                        conv |= 4;
                    }
                    self.emit(Op::FormatValue(conv));
                    n += 1;
                }
            }
        }
        Ok(n)
    }
}

/// Is `e` a constant CPython folds: a literal (number, string, bytes, bool, None) or a
/// non-empty tuple of constants? (`()` is the empty-tuple singleton either way.)
pub(super) fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::NumberLiteral(n) => !matches!(n.value, ast::Number::Complex { .. }),
        Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_) => true,
        Expr::Tuple(t) => !t.elts.is_empty() && t.elts.iter().all(is_constant),
        _ => false,
    }
}

/// The value of a `+` chain of string literals, as CPython's constant folding computes it
/// (results longer than 4096 characters are left unfolded, as there).
fn folded_str(e: &Expr) -> Option<String> {
    match e {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        Expr::BinOp(b) if b.op == ast::Operator::Add => {
            let (l, r) = (folded_str(&b.left)?, folded_str(&b.right)?);
            (l.chars().count() + r.chars().count() <= 4096).then(|| l + &r)
        }
        _ => None,
    }
}
