"""The CLI's commands, one module per task; each module lists its click commands in ``commands``."""
