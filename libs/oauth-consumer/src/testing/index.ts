/** Testing kit: helpers for testing apps built on nest-dance (subpath `nest-dance/testing`). */
export {};
