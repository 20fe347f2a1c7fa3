/** One entry of an Express 5 router stack, as far as this walk reads it. */
interface Layer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * Every (method, path) an Express app answers, read from Express's own router stack: the routers
 * mounted with `app.use(prefix, router)` and their `router.route(path).get(…)` lines. `.all()`
 * (the 405 fallbacks) is not a method of its own. Each once: a path may have two routes (from
 * stage 07 on, the login and new-user limits sit on `app.post(…)` before the routers' own routes).
 * The app is typed loosely so that ./shared needs no Express: pass the stage's `express()` app.
 */
export function registeredRoutes(app: object): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all')
            found.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : (layer.rawPath ?? '')));
      }
    }
  };
  walk((app as { router: { stack: Layer[] } }).router.stack, '');
  return [...new Set(found)].sort();
}
