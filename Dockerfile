# The cnbudget image: the head and the workers of a Ray cluster (deploy/kuberay/raycluster.yaml), or one-off runs.
#
#   docker build -t cnbudget:0.1.0 .                                    # from a checkout
#   docker build -t cnbudget:0.1.0 --build-arg STORES="s3fs" .           # and the fsspec package of your store
#
# Every node runs the same code: the workers unpickle the pipeline that the driver (`cnbudget ingest --engine
# ray`) sends them, so the image of the driver and of the workers must be the same version of cnbudget.
FROM python:3.11-slim-bookworm

# KubeRay's probes call wget; ray[default] adds the dashboard (port 8265) to watch a run.
RUN apt-get update \
    && apt-get install -y --no-install-recommends wget \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 ray

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RAY_USAGE_STATS_ENABLED=0

ARG STORES=""
WORKDIR /opt/cnbudget
COPY pyproject.toml constraints.txt README.md ./
COPY src ./src
RUN pip install -c constraints.txt ".[ray,postgres,parquet,remote]" "ray[default]" ${STORES} \
    && cnbudget --version

USER ray
WORKDIR /home/ray
CMD ["cnbudget", "--help"]
