"""Control characters in stored text: cleaned on input, made safe on output.

Word processors paste U+000B (vertical tab) for a manual line break, and other control
characters slip in from PDFs and spreadsheets. XML 1.0 (Atom) cannot carry them at all, not
even as character references; CSS and iCalendar need them escaped. So forms clean text on the
way in, and outputs that cannot carry them pass old data through the same cleaning.
"""

from __future__ import annotations

import re

# Characters that mean "new line" in some tool: a line break, kept as one.
_LINE_BREAKS = re.compile("\r\n|[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Every other C0/C1 control character but tab and newline, and the XML non-characters.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def clean_control_characters(text: str) -> str:
    """Line-break characters become "\\n"; other control characters are removed."""
    if not text:
        return text
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))


def clean_single_line(text: str) -> str:
    """For one-line values (titles, symbols): every line break becomes a space."""
    if not text:
        return text
    return " ".join(clean_control_characters(text).split("\n")).strip()


class CleanTextFormMixin:
    """For forms: control characters cleaned out of every text entry before it is saved
    (multi-line fields keep their line breaks; one-line fields get spaces)."""

    def clean(self):
        from django import forms

        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            field = self.fields.get(name)
            if isinstance(value, str) and field is not None:
                multi_line = isinstance(field.widget, forms.Textarea)
                cleaned[name] = (
                    clean_control_characters(value) if multi_line else clean_single_line(value)
                )
        return cleaned
