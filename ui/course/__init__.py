"""A patient's course: the view with its PHQ-9 trend and table model, and the clinician's course order."""
