//! Whether a document is written in English, roughly: enough to warn
//! that rules written in English (the default rules are) will miss most
//! of a French statute or a German press release, rather than report a
//! confident `neutral` with two themes as if the text had been read.
//!
//! The test counts common function words ("the", "of", "und", "les")
//! among the first words of the folded text. It never changes a report's
//! stance or themes; it only adds a warning. Menus, cookie banners and
//! captions in another language (an English article on a German site)
//! are a handful of such words against the article's many.

use std::collections::HashMap;
use std::sync::LazyLock;

/// How many words from the start are looked at.
const SAMPLE: usize = 300;
/// Fewer words than this say too little to judge.
const MIN_WORDS: usize = 40;
/// After this many words, a text whose English function words are
/// already [`ENGLISH_SHARE`] percent of them is English, and one in Latin
/// letters where no other language's reach [`FOREIGN_SHARE`] percent is
/// not one the lists know: most documents are one or the other, and need
/// not be read further.
const EARLY: usize = 60;
const ENGLISH_SHARE: usize = 15;
const FOREIGN_SHARE: usize = 5;

/// Function words, each in one language's list only, so that a word
/// counts for the language it identifies. English's list is the
/// yardstick.
const LANGUAGES: &[(&str, &[&str])] = &[
    (
        "English",
        &[
            "the", "and", "of", "to", "is", "that", "for", "with", "are", "this", "be", "it",
            "not", "on", "by", "from", "which", "would", "should", "will", "have", "an", "or",
            "as", "was", "their", "its",
        ],
    ),
    (
        "French",
        &[
            "le", "les", "des", "du", "et", "est", "une", "pour", "dans", "qui", "sur", "pas",
            "au", "aux", "sont", "ces", "cette", "être", "ou", "par", "ne", "leur", "leurs",
        ],
    ),
    (
        "German",
        &[
            "der", "die", "das", "und", "ist", "nicht", "mit", "für", "von", "zu", "den", "dem",
            "ein", "eine", "auf", "sich", "auch", "werden", "wird", "sind", "im", "oder",
        ],
    ),
    (
        "Spanish",
        &[
            "el", "los", "las", "y", "es", "del", "por", "su", "sus", "al", "como", "más", "está",
            "están", "pero",
        ],
    ),
    (
        "Italian",
        &[
            "gli", "della", "delle", "dei", "di", "che", "è", "sono", "nel", "nella", "alla",
            "anche", "questo", "questa",
        ],
    ),
    (
        "Portuguese",
        &[
            "os", "do", "da", "dos", "é", "não", "com", "uma", "em", "ao", "pelo", "pela",
            "também", "são",
        ],
    ),
    (
        "Dutch",
        &[
            "het", "een", "van", "en", "niet", "zijn", "voor", "met", "op", "te", "wordt",
            "worden", "ook", "naar",
        ],
    ),
];

/// Each function word and the index of its language in [`LANGUAGES`],
/// and the longest word's length: one lookup a word, and none for longer
/// words.
static WORDS: LazyLock<(
    HashMap<&'static str, usize, foldhash::fast::FixedState>,
    usize,
)> = LazyLock::new(|| {
    let mut map = HashMap::with_hasher(foldhash::fast::FixedState::default());
    for (k, (_, list)) in LANGUAGES.iter().enumerate() {
        for word in *list {
            map.insert(*word, k);
        }
    }
    let longest = map.keys().map(|w| w.len()).max().unwrap_or(0);
    (map, longest)
});

/// The language `folded` (a document's folded text) reads as, when that
/// is not English: a name such as "French", or "not English" for text in
/// another script or language that none of the lists knows.
pub(crate) fn not_english(folded: &str) -> Option<&'static str> {
    let (lookup, longest) = &*WORDS;
    let mut counts = [0usize; LANGUAGES.len()];
    let (mut words, mut letters, mut non_ascii) = (0, 0, 0);
    let tokens = folded
        .split(' ')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .take(SAMPLE);
    for word in tokens {
        words += 1;
        for c in word.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            non_ascii += usize::from(!c.is_ascii());
        }
        if word.len() <= *longest
            && let Some(&k) = lookup.get(word)
        {
            counts[k] += 1;
        }
        if words == EARLY {
            let english = counts[0] * 100 >= words * ENGLISH_SHARE;
            let foreign = counts[1..]
                .iter()
                .any(|&n| n * 100 >= words * FOREIGN_SHARE);
            if english || (!foreign && non_ascii * 2 <= letters) {
                return None;
            }
        }
    }
    if words < MIN_WORDS {
        return None;
    }
    let english = counts[0];
    let (best, &other) = counts[1..]
        .iter()
        .enumerate()
        .max_by_key(|&(k, &n)| (n, std::cmp::Reverse(k)))?;
    if other * 100 >= words * 12 && other > english * 2 {
        return Some(LANGUAGES[best + 1].0);
    }
    // Chinese, Arabic, Russian…: words without Latin letters, and almost
    // none of English's.
    (english * 100 < words * 3 && non_ascii * 2 > letters).then_some("not English")
}

/// The warning for a document that reads as `language`.
pub(crate) fn warning(language: &str) -> String {
    let reads_as = if language == "not English" {
        "does not read as English".to_string()
    } else {
        format!("reads as {language}, not English")
    };
    format!(
        "the text {reads_as}: rules written in English (as the default rules are) miss most of \
         it, so its stance and themes are unreliable"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::FoldedText;

    fn language(text: &str) -> Option<&'static str> {
        not_english(FoldedText::new(text).as_str())
    }

    #[test]
    fn each_language_is_told_from_english() {
        let cases = [
            (
                "Les fournisseurs qui publient leur modèle sous une licence libre et ouverte sont \
                 dispensés de certaines obligations. L'exemption ne s'applique pas aux modèles \
                 présentant un risque systémique, et le fournisseur doit procéder à des \
                 évaluations du modèle dans ce cas. Les services sont invités à vérifier si la \
                 licence autorise réellement l'accès et la modification du modèle par des tiers.",
                Some("French"),
            ),
            (
                "Die Anbieter, die ihr Modell unter einer freien Lizenz veröffentlichen, sind von \
                 einigen Pflichten befreit. Die Ausnahme gilt nicht für Modelle mit systemischem \
                 Risiko, und der Anbieter muss in diesem Fall das Modell bewerten. Die Behörden \
                 prüfen auch, ob die Lizenz den Zugang und die Änderung des Modells wirklich \
                 erlaubt und ob der Anbieter mit dem Modell Geld verdient oder nicht.",
                Some("German"),
            ),
            (
                "Los proveedores que publican su modelo con una licencia libre están exentos de \
                 algunas obligaciones. La excepción no se aplica a los modelos con riesgo \
                 sistémico, y el proveedor debe evaluar el modelo en ese caso. Las autoridades \
                 comprueban también si la licencia permite el acceso y la modificación del \
                 modelo, y si el proveedor obtiene ingresos por el modelo o no, como dice la ley.",
                Some("Spanish"),
            ),
            (
                "开源模型的提供者在某些情况下可以免除部分义务 但是具有系统性风险的模型 不适用 该豁免 \
                 提供者 必须 对 模型 进行 评估 并 报告 严重 事件 主管 部门 将 检查 许可证 是否 \
                 真正 允许 访问 修改 和 再分发 模型 以及 提供者 是否 从 模型 中 获得 收入 这些 \
                 规定 适用于 所有 在 欧盟 市场 上 提供 的 通用 人工智能 模型 包括 开源 模型 \
                 以及 基于 开源 模型 进行 微调 的 模型",
                Some("not English"),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(language(text), expected, "{text}");
        }
    }

    #[test]
    fn english_with_foreign_menus_and_short_texts_pass() {
        let english = "Startseite | Produkte | Über uns | Kontakt. Diese Website verwendet \
            Cookies. Mit der Nutzung der Website stimmen Sie der Verwendung von Cookies zu. \
            We are nine people in Freiburg. We build a document model for municipal archives, \
            and we publish its weights under an open licence on the day we finish training. \
            People ask us why a company would give away its main asset. This post is the \
            answer, and it is also our reply to the consultation on the proposed rules for \
            high-capability models. First, openness is how we got here. Our model is a \
            fine-tune of a model that another lab released openly two years ago.";
        assert_eq!(language(english), None);
        assert_eq!(
            language("Die Anbieter sind von einigen Pflichten befreit."),
            None
        );
        assert_eq!(language(""), None);
        // Numbers and names are not a language.
        let table = "10^25 10^26 1026 2024 2025 EU US UK NTIA OSI ".repeat(10);
        assert_eq!(language(&table), None);
    }
}
