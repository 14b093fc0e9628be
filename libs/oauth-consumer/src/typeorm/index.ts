/** TypeORM storage for nest-dance (subpath `nest-dance/typeorm`). */
export {};
