"""The interviewer's side: planning a session and grading a folder of candidates."""
