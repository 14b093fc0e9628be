import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DemoUser } from './demo-user.entity';

/** The longest demo user name. */
export const MAX_NAME_LENGTH = 60;

/** Finds demo users by name, creating them on first sign-in. */
@Injectable()
export class DemoUsersService {
  constructor(
    @InjectRepository(DemoUser) private readonly users: Repository<DemoUser>,
  ) {}

  /** The user called `name`, created if new; safe when two processes sign the same name in. */
  async signIn(rawName: unknown): Promise<DemoUser> {
    const name = typeof rawName === 'string' ? rawName.trim() : '';
    if (!name || name.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name)) {
      throw new BadRequestException(
        `Sign in with a name of 1 to ${MAX_NAME_LENGTH} printable characters (form field "name").`,
      );
    }
    await this.users
      .createQueryBuilder()
      .insert()
      .values({ name })
      .orIgnore()
      .execute();
    return this.users.findOneByOrFail({ name });
  }
}
