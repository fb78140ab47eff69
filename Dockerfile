# The app server: the committed ncc bundle plus git (the gitops writer drives the git CLI).
# The same image carries the `gimlet` CLI for CIs that prefer an image to npm:
#   docker run --rm -v "$PWD:/src" -w /src --entrypoint gimlet <image> ship --server https://gimlet.acme.dev
FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY dist/app/ /app/
COPY dist/cli/ /opt/gimlet-cli/
RUN chmod 0755 /opt/gimlet-cli/index.js && ln -s /opt/gimlet-cli/index.js /usr/local/bin/gimlet
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    GIMLET_WORK_DIR=/var/lib/gimlet
RUN mkdir -p /var/lib/gimlet && chown node:node /var/lib/gimlet
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "index.js"]
