import { toNames } from '../src/names';

describe('toNames', () => {
  test.each([
    ['user-profile', 'user-profile', 'UserProfile', 'userProfile'],
    ['UserProfile', 'user-profile', 'UserProfile', 'userProfile'],
    ['user_profile', 'user-profile', 'UserProfile', 'userProfile'],
    ['userProfile', 'user-profile', 'UserProfile', 'userProfile'],
    ['HTTPServer', 'http-server', 'HttpServer', 'httpServer'],
    ['oauth2-client', 'oauth2-client', 'Oauth2Client', 'oauth2Client'],
    ['users', 'users', 'Users', 'users'],
  ])('%p', (input, kebab, pascal, camel) => {
    expect(toNames(input)).toEqual({ kebab, pascal, camel });
  });

  test('drops a trailing kind so the class is not UsersControllerController', () => {
    expect(toNames('users-controller', 'controller').pascal).toBe('Users');
    expect(toNames('CreateUserDto', 'dto').kebab).toBe('create-user');
    // ...but not when the kind is the whole name.
    expect(toNames('guard', 'guard').pascal).toBe('Guard');
  });

  test.each(['', ' ', '123', 'a b', 'user-', '-user', 'user--profile', 'ü', 'a/b'])('refuses %p', (input) => {
    expect(() => toNames(input)).toThrow(/is not a valid name/);
  });
});
