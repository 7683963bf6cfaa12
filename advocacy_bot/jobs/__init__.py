"""Jobs: what each task does on a run (``runs.Run``): read, plan with ``tasks/`` (pure), record the
outcomes, apply. ``commands/`` wraps them as click commands (options, help); run-all's steps are these
same functions. A few lines a job prints for people (undo's list, nav's notes) go out with click.echo."""
