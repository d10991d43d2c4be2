import { useEffect, useRef, useState } from 'react';

/**
 * The width of a container, following resizes: charts need a pixel width. Before the first measurement (and where
 * ResizeObserver is missing, as in jsdom) it is `fallback`.
 */
export function useElementWidth<T extends HTMLElement>(fallback = 800) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);

  useEffect(() => {
    const el = ref.current;
    if (!el) {
      return undefined;
    }
    if (el.clientWidth > 0) {
      setWidth(el.clientWidth);
    }
    if (typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const ro = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w && w > 0) {
        setWidth(Math.floor(w));
      }
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  return { ref, width };
}
