#!/usr/bin/env bash
# Sets bench up on a Debian machine: the stacks' packages (nginx, haproxy, apache2, php-fpm, uwsgi with its python3
# plugin, gunicorn, python3-flask, uvicorn and python3-websockets (the ASGI app's WebSocket), postgresql and python3-psycopg2 for the database tier, wrk, nghttp2-client (h2load, the HTTP/2 cross-check)), chromium (the HTML report test opens the report in it), tmux (the
# terminal test runs bench in it), iproute2 (`ip netns`: the several-machines tests put the coordinator, each agent
# and the target in network namespaces of their own) and openssh-server with openssh-client (the `--agents-ssh` test
# starts its own sshd, /usr/sbin/sshd, inside the agents' namespaces with keys it makes; it needs no system sshd
# running — where this install starts one under systemd, setup stops and disables it),
# the npm dependencies (autocannon patched by patch-package on install) and the build.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(nginx haproxy apache2 php-fpm uwsgi uwsgi-plugin-python3 gunicorn python3-flask postgresql python3-psycopg2 uvicorn python3-websockets wrk nghttp2-client chromium tmux iproute2 openssh-server openssh-client)
# BENCH_SETUP_PACKAGES, when set (even empty), replaces the list: the CI templates (action.yml,
# ci/gitlab/bench-gate.gitlab-ci.yml) install only what the gated profile's stacks need
if [ -n "${BENCH_SETUP_PACKAGES+set}" ]; then
  read -r -a packages <<<"$BENCH_SETUP_PACKAGES"
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing ${missing[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # bench needs sshd's binary only (its test starts its own): a system sshd that this install started is not
    # left listening on port 22
    if [[ " ${missing[*]} " == *" openssh-server "* ]] && [ -d /run/systemd/system ]; then
      systemctl disable --now ssh >/dev/null 2>&1 || true
      echo "setup: openssh-server installed for the --agents-ssh test; the system sshd it started is stopped and disabled"
    fi
  else
    echo "setup: bench's stacks need Debian packages that are not installed: ${missing[*]}" >&2
    echo "setup: run as root, or install them first:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# npm install, not npm ci: the registry here lacks biome's optional binaries for other platforms, so the lock
# cannot list them and npm ci refuses it; install keeps to the lock for everything it lists
npm install --no-audit --no-fund
npm run build
echo "setup: ready — ./bench run profiles/high-concurrency.yml"
