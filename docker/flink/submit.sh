#!/usr/bin/env bash
# One-shot submission of the bitvision job to the session cluster of docker/compose.yaml (`flink run -d`).
#  - waits until the JobManager answers (rest.address/rest.port come from FLINK_PROPERTIES);
#  - does nothing when a bitvision job is already running or scheduled, so a second `docker compose up` never
#    starts a second job writing with the same transactional ids;
#  - resumes from the newest retained checkpoint in the shared checkpoint volume when there is one (set
#    BITVISION_RESUME=false to start fresh), so a restarted JobManager picks up where the job stopped.
# Settings (compose passes them): BITVISION_BOOTSTRAP, BITVISION_CAMERAS ("ID=URL ID=URL ..."),
# BITVISION_REGISTRY_TOPIC, BITVISION_PARALLELISM, BITVISION_CHECKPOINT_MS, BITVISION_JOB_ARGS (any other
# PipelineArgs options, e.g. "--target-fps 5 --watchlist-topic bitvision.watchlist").
set -euo pipefail

JAR=/opt/flink/usrlib/bitvision-job.jar
CHECKPOINTS="${BITVISION_CHECKPOINTS:-/opt/flink/checkpoints}"

listing=""
for attempt in $(seq 1 60); do
  if listing="$(flink list 2>&1)"; then
    break
  fi
  if [ "$attempt" -eq 60 ]; then
    echo "submit: the JobManager did not answer in 5 minutes:" >&2
    echo "$listing" >&2
    exit 1
  fi
  echo "submit: waiting for the JobManager ($attempt)"
  sleep 5
done

if grep -q "bitvision pipeline" <<<"$listing"; then
  echo "submit: a bitvision job is already there, nothing to do:"
  grep "bitvision pipeline" <<<"$listing"
  exit 0
fi

run_options=(-d)
if [ "${BITVISION_RESUME:-true}" = true ]; then
  latest=""
  # Newest first; a checkpoint counts once its _metadata is written.
  for dir in $(ls -1dt "$CHECKPOINTS"/*/chk-* 2>/dev/null || true); do
    if [ -f "$dir/_metadata" ]; then
      latest="$dir"
      break
    fi
  done
  if [ -n "$latest" ]; then
    echo "submit: resuming from $latest"
    run_options+=(-s "$latest")
  fi
fi

job_args=(--bootstrap "${BITVISION_BOOTSTRAP:-kafka:9092}"
  --models-dir /opt/flink/models
  --parallelism "${BITVISION_PARALLELISM:-2}"
  --checkpoint-ms "${BITVISION_CHECKPOINT_MS:-5000}")
if [ -n "${BITVISION_REGISTRY_TOPIC:-}" ]; then
  job_args+=(--camera-registry "$BITVISION_REGISTRY_TOPIC")
fi
for camera in ${BITVISION_CAMERAS:-}; do
  job_args+=(--camera "$camera")
done
# shellcheck disable=SC2206 # word splitting wanted: extra options as the user wrote them
job_args+=(${BITVISION_JOB_ARGS:-})

echo "submit: flink run ${run_options[*]} $JAR ${job_args[*]}"
exec flink run "${run_options[@]}" "$JAR" "${job_args[@]}"
