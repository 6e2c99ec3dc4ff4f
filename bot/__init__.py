"""The interviewer: engine services and its front ends (terminal, CLI, Discord)."""
