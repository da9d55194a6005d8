"""Structural drift (rules/drift.py): what a translation lacks or adds against its English
text at the sync point, on literal texts. End to end (``status --drift``, the work queue) in
test_workqueue.py."""

from __future__ import annotations

from l10nsync.rules.drift import drift_of_texts, read_structure

ENGLISH = """---
title: Element.getAttribute()
slug: Web/API/Element/getAttribute
---

{{APIRef("DOM")}}

The **`getAttribute()`** method of {{domxref("Element")}} returns an attribute's value.

## Syntax

```js
getAttribute(name)
```

## Examples

```js
div.getAttribute("align");
```

{{EmbedLiveSample("Examples")}}

## Browser compatibility

{{Compat}}

## See also

- [`setAttribute()`](/en-US/docs/Web/API/Element/setAttribute)
"""

COMPLETE = """---
title: Element.getAttribute()
l10n:
  sourceCommit: 0123456789abcdef0123456789abcdef01234567
---

{{APIRef("DOM")}}

La méthode **`getAttribute()`** de {{domxref("Element")}} renvoie la valeur d'un attribut.

## Syntaxe

```js
getAttribute(name)
```

## Exemples

```js
div.getAttribute("align"); // l'alignement
```

{{EmbedLiveSample("Exemples")}}

## Compatibilité des navigateurs

{{Compat}}

## Voir aussi

- [`setAttribute()`](/fr/docs/Web/API/Element/setAttribute)
"""


def test_a_complete_translation_does_not_drift() -> None:
    # Headings, prose and code comments are translated, the live sample's id too, and the
    # link points to the French page: none of that is drift.
    drift = drift_of_texts(ENGLISH, COMPLETE)
    assert (drift.score, drift.missing, drift.extra) == (0.0, (), ())


def test_a_missing_section_with_its_code_and_live_sample() -> None:
    translation = COMPLETE.replace("""## Exemples

```js
div.getAttribute("align"); // l'alignement
```

{{EmbedLiveSample("Exemples")}}

""", "")
    drift = drift_of_texts(ENGLISH, translation)
    assert drift.missing == ("## Examples", "```js", '{{EmbedLiveSample("Examples")}}')
    assert drift.extra == ()
    # Three block items (3 each) out of 4 headings, 5 blocks ({{APIRef}}, two code blocks,
    # the live sample, {{Compat}}) and 2 inline references ({{domxref}}, the link).
    assert drift.score == round(9 / (4 * 3 + 5 * 3 + 2), 3)


def test_a_missing_macro_is_named_as_it_appears() -> None:
    drift = drift_of_texts(ENGLISH, COMPLETE.replace("{{Compat}}\n", ""))
    assert (drift.missing, drift.extra) == (("{{Compat}}",), ())


def test_a_note_of_the_locale_s_own_is_not_drift() -> None:
    blockquote = COMPLETE.replace("## Syntaxe", """> [!NOTE]
> Traduction de la [version anglaise](/en-US/docs/Web/API/Element/getAttribute),
> voir {{Glossary("Attribute", "attribut")}} et ![schéma](attributs.png).

## Syntaxe""")
    aside = COMPLETE.replace("## Syntaxe", """:::note
Voir la [version anglaise](/en-US/docs/Web/API/Element/getAttribute).
:::

## Syntaxe""")
    for translation in (blockquote, aside):
        drift = drift_of_texts(ENGLISH, translation)
        assert (drift.score, drift.missing, drift.extra) == (0.0, (), ())


def test_an_added_section_or_a_leftover_macro_is_extra() -> None:
    translation = COMPLETE.replace("## Voir aussi", "## Notes\n\n{{Deprecated_Inline}}\n\n"
                                   "## Voir aussi")
    drift = drift_of_texts(ENGLISH, translation)
    assert drift.missing == ()
    assert drift.extra == ("## Notes", "{{Deprecated_Inline}}")
    assert 0 < drift.score < 1


def test_heading_levels_count() -> None:
    # The same headings, one a level lower: the h2 is missing and an h3 is extra.
    translation = COMPLETE.replace("## Voir aussi", "### Voir aussi")
    drift = drift_of_texts(ENGLISH, translation)
    assert drift.missing == ("## See also",)
    assert drift.extra == ("### Voir aussi",)


def test_what_is_inside_code_is_not_structure() -> None:
    english = "## Usage\n\n```md\n{{Compat}}\n## Not a heading\n[x](/en-US/docs/X)\n```\n"
    structure = read_structure(english)
    assert structure.levels == (2,)
    assert [item.shown for item in structure.items] == ["```md"]


def test_tables_images_and_links() -> None:
    english = ("![A diagram](/shared-assets/diagram.png)\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
               "See <a href=\"/en-US/docs/Web/HTML\">HTML</a>.\n")
    translation = ("![Un schéma](diagram.png)\n\n| A | B | C |\n|---|---|---|\n| 1 | 2 | 3 |\n\n"
                   "Voir <a href=\"/fr/docs/Web/HTML\">HTML</a>.\n")
    drift = drift_of_texts(english, translation)
    # The image is the same file, the link the same page; the table has a column more.
    assert drift.missing == ()
    assert drift.extra == ()
    assert drift.score == 0.0
    english_table = read_structure(english).items
    translated_table = read_structure(translation).items
    assert {item.key for item in english_table} - {item.key for item in translated_table} == {
        "table:2"}


def test_a_page_without_structure_has_no_drift() -> None:
    assert drift_of_texts("Just words.\n", "Seulement des mots.\n").score == 0.0
