"""The candidate's side: practice sessions, the history store, progress, watch mode."""
