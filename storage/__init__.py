"""What is remembered: models, repositories, migrations, org import. Imports nothing of ours."""
