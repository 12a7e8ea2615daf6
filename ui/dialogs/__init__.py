"""The small dialogs that return plain values: the vitals keypad, scales, quick entries, discharge entries, finding a patient and registering one."""
