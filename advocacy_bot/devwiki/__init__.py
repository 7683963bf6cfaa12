"""Local development wiki support: demo snapshot and large synthetic trees as export XML."""
