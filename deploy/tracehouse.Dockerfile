# syntax=docker/dockerfile:1
# Tracehouse: `start` (all-in-one), `collector --config FILE`, `schema --cluster NAME`.
# Build from the repository root:  docker build -f deploy/tracehouse.Dockerfile -t tracehouse .

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
COPY examples ./examples
COPY ui ./ui
# The web UI is built here too (Vite is a dev dependency, pruned after): `start` serves dist/ui at /.
RUN npx tsc -p tsconfig.build.json \
    && npx vite build --config ui/vite.config.ts --logLevel warn \
    && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    TRACEHOUSE_DATA=/var/lib/tracehouse
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
# dist/src and the UI only: the example services have their own images (see *-service.Dockerfile),
# so `demo` is not in this one.
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/ui ./dist/ui
RUN mkdir -p /var/lib/tracehouse && chown node:node /var/lib/tracehouse
USER node
VOLUME /var/lib/tracehouse
# OTLP/gRPC, OTLP/HTTP, Zipkin, query API and UI.
EXPOSE 4317 4318 9411 3200
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["start"]
