# lossviz: CPU-only image. Build: docker build -t lossviz .   Run: docker run -p 8501:8501 lossviz
FROM python:3.11-slim

# make: the image installs with the same `make install` a developer runs.
RUN apt-get update && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*

# PyPI's Linux torch wheels carry CUDA; the PyTorch CPU index has the same version as 2.13.0+cpu,
# which satisfies requirements.txt's torch==2.13.0 and is preferred by pip.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PIP_EXTRA_INDEX_URL=${TORCH_INDEX_URL} \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

RUN useradd --create-home --uid 1000 app
WORKDIR /app
RUN chown app:app /app
USER app

# Dependencies first (cached layer), then the code.
COPY --chown=app:app requirements.txt Makefile ./
RUN make install
COPY --chown=app:app . .

ENV PORT=8501
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() == b'ok' else 1)"

CMD [".venv/bin/python", "-m", "streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true", "--server.fileWatcherType=none"]
