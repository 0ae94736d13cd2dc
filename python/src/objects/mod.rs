//! The interpreter's own object types, each a `UserType` on the heap whose traverse reports
//! every reference it holds (so function/closure/generator/bound-method/exception cycles are
//! found by the collector).
//!
//! | Python            | here                         | holds                                 |
//! |-------------------|------------------------------|---------------------------------------|
//! | bytes             | `bytes::Bytes`               | nothing (a leaf: not GC-tracked)      |
//! | code object       | `code::Code`                 | constants, names (in `CodeData`)      |
//! | function          | `function::Function`         | code, globals, defaults, closure      |
//! | builtin function  | `function::Builtin`          | a Rust fn, optional bound self        |
//! | bound method      | `function::Method`           | function, self                        |
//! | staticmethod etc. | `function::Wrapper`          | the wrapped callable(s)               |
//! | generator         | `generator::Generator`       | its suspended frame's locals/stack    |
//! | traceback         | `misc::Traceback`            | next entry, frame object              |
//! | frame             | `frame::FrameObject`         | code, globals, f_back; locals once the frame finished |
//! | module            | `misc::Module`               | its dict                              |
//! | range, iterators  | `iter::*`                    | the iterated object                   |
//! | dict views        | `dictview::DictView`         | the dict                              |

pub mod bytes;
pub mod code;
pub mod dictview;
pub mod frame;
pub mod function;
pub mod generator;
pub mod iter;
pub mod misc;
