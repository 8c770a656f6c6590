"""A virtual serial barcode scanner on a pty (`manage.py virtual_scanner`),
typing codes at a 9600-baud line's pace."""
