"""docs/deploy.md shows the nginx configuration the replica test runs, and that configuration is one nginx accepts."""

from __future__ import annotations

import re
import subprocess

from components import paths
from scripts.nginx_proxy import DOCUMENTED, EXAMPLE_REPLICAS, local_config, nginx_binary

DEPLOY = paths.ROOT / "docs" / "deploy.md"


def test_deploy_md_shows_the_tested_configuration_word_for_word():
    blocks = re.findall(r"```nginx\n(.*?)```", DEPLOY.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert blocks == [DOCUMENTED.read_text(encoding="utf-8")]


def test_the_documented_configuration_passes_nginx_own_check(tmp_path):
    (tmp_path / "logs").mkdir()
    (tmp_path / "temp").mkdir()
    config = tmp_path / "nginx.conf"
    config.write_text(local_config(("127.0.0.1:18501", "127.0.0.1:18502"), 18080), encoding="utf-8")
    result = subprocess.run(
        [nginx_binary(), "-t", "-p", str(tmp_path), "-e", "logs/error.log", "-c", str(config)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "127.0.0.1:18502" in config.read_text() and not any(example in config.read_text() for example in EXAMPLE_REPLICAS)


def test_every_replica_address_is_in_the_map_and_in_every_upstream():
    text = DOCUMENTED.read_text(encoding="utf-8")
    for address in EXAMPLE_REPLICAS:
        assert text.count(address) == 4  # the map, `upstream dashboard`, its own block, and the other's backup line


def test_the_documented_configuration_extends_to_four_replicas_as_its_header_says(tmp_path):
    (tmp_path / "logs").mkdir()
    (tmp_path / "temp").mkdir()
    replicas = tuple(f"127.0.0.1:1850{i}" for i in range(1, 5))
    text = local_config(replicas, 18080)
    config = tmp_path / "nginx.conf"
    config.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [nginx_binary(), "-t", "-p", str(tmp_path), "-e", "logs/error.log", "-c", str(config)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    # each address: in the cookie map, in the pool, in a block of its own, and a backup in the three others
    assert all(text.count(f"{address} ") + text.count(f"{address};") == 6 for address in replicas)
    assert [f"upstream dashboard_{i} {{" in text for i in range(1, 6)] == [True] * 4 + [False]
    assert "10.0.0." not in text
