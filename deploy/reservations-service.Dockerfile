# syntax=docker/dockerfile:1
# The example system: the reservations-service (POST /reservations), port 8081.
# Build from the repository root:  docker build -f deploy/reservations-service.Dockerfile -t tracehouse-reservations-service .

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the examples need express and the OpenTelemetry SDK, not the storage engine.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY examples ./examples
# The examples alone (they import nothing from src/).
RUN printf '%s' '{"extends":"./tsconfig.build.json","include":["examples"],"exclude":["**/*.test.ts","examples/test-support"]}' > tsconfig.examples.json \
 && npx tsc -p tsconfig.examples.json

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
# express and @opentelemetry/* are devDependencies of the Tracehouse package, so all of node_modules.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/examples ./dist/examples
USER node
EXPOSE 8081
CMD ["node", "dist/examples/reservations-service/main.js"]
