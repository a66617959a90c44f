/** The examples `bench <command> --help` shows: a command line each, and what it does. */
export const commandExamples = {
  bench: [
    ['$0 http://127.0.0.1:8080/ -c 100 -d 10s', 'load a running server: 100 connections, 10 s'],
    ['$0 127.0.0.1:8080/api -r 500 -H "X-Id: 1"', 'open loop: 500 req/s, with a header'],
    ['$0 run profiles/quick.yml', 'a 15 s smoke run'],
    ['$0 validate my.yml', 'check a profile; starts nothing'],
    ['$0 run --help', "a command's options and examples"],
    ['$0 --version', 'the engine, and the servers found on PATH'],
  ],
  run: [
    ['$0 run profiles/quick.yml', 'a 15 s smoke run: node, nginx → node, gunicorn'],
    ['$0 run profiles/high-concurrency.yml', 'seven stacks up to 1000 connections, about 3 minutes'],
    ['$0 run profiles/quick.yml --out quick.json', 'the results JSON goes to quick.json'],
    ['$0 run profiles/quick.yml --stacks node,nginx-node', 'only these two stacks'],
    ['$0 run --url http://127.0.0.1:8080/ -c 50', 'a running server, no profile'],
    ['$0 run profiles/ci.yml --gate --junit gate.xml', 'A/B in one run: exit 0, 6 (regression) or 7'],
    ['$0 run profiles/open-loop.yml --strict', 'exit 5 when a cell is suspect'],
    ['$0 run profiles/quick.yml --agents 2 --token-file t', 'the load from 2 `bench agent`s that dial in'],
  ],
  capacity: [
    ['$0 capacity profiles/capacity.yml', 'the highest rate each stack sustains within p99 < 50 ms'],
    ['$0 capacity profiles/capacity.yml --target 20000', 'and the machines needed for 20,000 req/s'],
    ['$0 capacity profiles/workers-scaling.yml', 'a worker sweep, fitted with the USL'],
  ],
  agent: [
    ['$0 agent --coordinator c:7070 --token-file t', 'join a run as a load generator'],
    ['$0 agent --coordinator c:7070 --index 0', 'agent 0, the token from BENCH_AGENT_TOKEN'],
  ],
  gate: [
    ['$0 gate pr.json --baseline main.json', 'exit 0 pass, 6 regression, 7 inconclusive'],
    ['$0 gate pr.json --baseline main.json --junit g.xml', 'also the verdict as JUnit XML for CI'],
    ['$0 gate --calibrate profiles/ci.yml', "A/A: this runner's noise and the thresholds it suggests"],
  ],
  validate: [
    ['$0 validate profiles/quick.yml', 'each problem with its line and a fix; starts nothing'],
    ['$0 validate my.yml --allow-remote', 'a profile whose url stack is on another host'],
  ],
  plan: [
    ['$0 plan profiles/high-concurrency.yml', 'every stack run and step in order, and how long it takes'],
    ['$0 plan profiles/capacity.yml', 'what bench capacity would run, and its bound'],
  ],
  report: [
    ['$0 report results/quick.json', 'results/quick.html: charts and tables, one page'],
    ['$0 report results/quick.json --format md', 'results/quick.md: the tables as GitHub Markdown'],
    ['$0 report --history results/history.sqlite', 'the trend per metric, change points marked'],
  ],
  history: [
    ['$0 history add results/ci.json', 'store a run: its commit, branch, machine and trials'],
    ['$0 history show', 'every cell and metric, a row per run'],
    ['$0 history check', 'exit 6 when a regression starts in the newest run'],
    ['$0 history check --db ci-history.sqlite', 'the same, in a history file of your own'],
  ],
  init: [
    ['$0 init --app "gunicorn myapp:app" > my.yml', 'gunicorn on a ladder of 10, 50, 200 connections'],
    ['$0 init --app "gunicorn a:app" --proxy nginx', 'direct and behind nginx'],
    ['$0 init --app "gunicorn a:app" --workers 4', 'gunicorn -w 4'],
    ['$0 init --app "uvicorn main:app" --proxy haproxy', 'uvicorn direct vs behind haproxy'],
    ['$0 init --app "node server.js" --name api', 'told its port in PORT; app and stack named api'],
  ],
  k8s: [
    ['$0 k8s my.yml --agents 4 --image bench:0.1', 'the manifests, for: | kubectl apply -f -'],
    ['$0 k8s my.yml --agents 8 --image bench:0.1 -n load', 'in namespace load'],
    ['$0 k8s my.yml --agents 2 --image b:0.1 --agent-cpu 4', 'agents of 4 CPUs each'],
  ],
  clean: [
    ['$0 clean', 'the newest unfinished run in results/'],
    ['$0 clean results/quick-2026-12-03.json', "that run's processes, if still bench's"],
  ],
  schema: [
    ['$0 schema > bench-profile.schema.json', 'editor help for profiles whose first line names it'],
    ['$0 schema | jq .properties.phases', 'what a phase may hold'],
    ['$0 schema --results > bench-results.schema.json', 'what a results file holds, for other tools'],
    ['$0 schema --markdown > docs/profile-reference.md', 'every key of a profile, as a Markdown page'],
  ],
} satisfies Record<string, [string, string][]>
