"""asrcheck: checks that a machine can reach what Azure Site Recovery needs."""

__version__ = "0.1.0"
