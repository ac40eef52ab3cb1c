"""A library answer as a file: a workbook with a native chart (`xlsx`), or one self-contained page with the
chart as inline SVG (`html`). The answer is `cnbudget.model.answer.Answer`, plain data the library makes."""
