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
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    TRACEHOUSE_DATA=/var/lib/tracehouse
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
# dist/src only: the example services have their own images (see *-service.Dockerfile).
COPY --from=build /app/dist/src ./dist/src
RUN mkdir -p /var/lib/tracehouse && chown node:node /var/lib/tracehouse
USER node
VOLUME /var/lib/tracehouse
# OTLP/gRPC, OTLP/HTTP, Zipkin, query API and UI.
EXPOSE 4317 4318 9411 3200
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["start"]
