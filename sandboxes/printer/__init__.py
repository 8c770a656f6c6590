"""A virtual ESC/POS receipt printer (`manage.py virtual_printer`), to run the
hardware agent against without paper: on raw TCP and a pty, with faults."""
