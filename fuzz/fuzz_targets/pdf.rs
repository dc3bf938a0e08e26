//! Reading PDFs built from the fuzz input, in this process (as a program
//! embedding the library reads them, with no child process to contain a
//! crash): pages and forms that draw one another in any graph, with their
//! own resources, inherited ones or none, images drawn as forms, names
//! that resolve to nothing, text anywhere; then, with what input is left,
//! bytes of the written file changed.
//!
//! A page that reaches a loop of forms would overflow the stack unless
//! the reader's check leaves it unread; beyond "no crash, no hang", a PDF
//! that reads must have one page start per page.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

#[path = "common/bytes.rs"]
mod bytes;
use bytes::Bytes;

/// What a page or form draws: text, and other forms by index (an index
/// past the last form names nothing).
fn content(bytes: &mut Bytes, label: &str, forms: usize) -> Vec<u8> {
    let mut operations = Vec::new();
    for _ in 0..bytes.next() % 5 {
        match bytes.next() % 4 {
            0 | 1 => {
                let to = bytes.next() % (forms + 1);
                operations.push(Operation::new(
                    "Do",
                    vec![Object::Name(format!("F{to}").into_bytes())],
                ));
            }
            2 => operations.extend([
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![50.into(), 700.into()]),
                Operation::new("Tj", vec![Object::string_literal(label)]),
                Operation::new("ET", vec![]),
            ]),
            _ => operations.push(Operation::new("Do", vec![Object::Integer(7)])),
        }
    }
    Content { operations }.encode().unwrap_or_default()
}

/// Set once: a panic hook that neither prints nor aborts.
static QUIET: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    // The reader panics on many malformed PDFs, and the library catches
    // each as a page's or the file's error; libfuzzer-sys's hook would
    // abort on those too. A panic that escapes the library still aborts,
    // in libfuzzer-sys's own `catch_unwind`.
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let mut bytes = Bytes(data.iter());
    let pages_count = 1 + bytes.next() % 4;
    // Mostly a few forms; now and then a chain long enough to pass the
    // nesting limit.
    let forms_count = match bytes.next() {
        250.. => 60 + bytes.next() % 20,
        b => b % 7,
    };
    let mut doc = Document::with_version("1.5");
    let pages = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let form_ids: Vec<ObjectId> = (0..forms_count).map(|_| doc.new_object_id()).collect();
    let mut xobjects = Dictionary::new();
    for (i, id) in form_ids.iter().enumerate() {
        xobjects.set(format!("F{i}"), *id);
    }
    let shared = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font },
        "XObject" => xobjects,
    });
    for (i, id) in form_ids.iter().enumerate() {
        let stream = if forms_count >= 60 {
            // A chain: each form draws the next.
            let next = if i + 1 < forms_count {
                format!("/F{} Do", i + 1)
            } else {
                String::new()
            };
            next.into_bytes()
        } else {
            content(&mut bytes, &format!("form {i}"), forms_count)
        };
        let mut dict = dictionary! {
            "Type" => "XObject",
            "Subtype" => if bytes.next() % 8 == 0 { "Image" } else { "Form" },
            "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        };
        match bytes.next() % 4 {
            0 => dict.set("Resources", shared),
            1 => dict.set(
                "Resources",
                dictionary! { "Font" => dictionary! { "F1" => font } },
            ),
            2 => dict.set("Resources", Object::Integer(3)),
            _ => {}
        }
        doc.objects
            .insert(*id, Object::Stream(Stream::new(dict, stream)));
    }
    let mut kids = Vec::new();
    for p in 0..pages_count {
        let stream = content(&mut bytes, &format!("page {p}"), forms_count);
        let contents = doc.add_object(Stream::new(dictionary! {}, stream));
        let mut page = dictionary! { "Type" => "Page", "Parent" => pages, "Contents" => contents };
        if bytes.next() % 4 == 0 {
            page.set(
                "Resources",
                dictionary! { "Font" => dictionary! { "F1" => font } },
            );
        }
        kids.push(doc.add_object(page));
    }
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids.iter().map(|&k| k.into()).collect::<Vec<Object>>(),
            "Count" => kids.len() as i64,
            "Resources" => shared,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    if bytes.next() % 2 == 0 {
        doc.compress();
    }
    let mut pdf = Vec::new();
    if doc.save_to(&mut pdf).is_err() || pdf.is_empty() {
        return;
    }
    // What input is left corrupts the file itself, a byte at a time, for
    // the loader's parser, its cross-reference recovery and the filters:
    // bytes no writer would produce. Then only "no crash, no hang" holds.
    let mut corrupted = false;
    while bytes.0.len() >= 3 {
        let at = (bytes.next() << 8 | bytes.next()) % pdf.len();
        pdf[at] = bytes.next() as u8;
        corrupted = true;
    }

    // A loop of forms would overflow the stack here: the check must have
    // left its page unread.
    if let Ok(extracted) = policyscan::text::pdf::extract(&pdf)
        && !corrupted
    {
        assert_eq!(extracted.pages.len(), pages_count, "one start per page");
    }
});
