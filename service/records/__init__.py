"""Reading record PDFs into numbered pages (text layer or OCR) and cutting them into spans."""
