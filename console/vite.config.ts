import { defineConfig } from "vite";

// The bundle goes inside the Python package so `fraudnet serve` finds it (src/fraudnet/console).
export default defineConfig({
  base: "./",
  build: {
    outDir: "../src/fraudnet/console/bundle",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
  },
});
