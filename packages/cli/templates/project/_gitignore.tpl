node_modules/
dist/
coverage/
*.log
