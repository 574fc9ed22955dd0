using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Viewer.Access;

/// <summary>
/// Users, their towns, passwords (ASP.NET Core <see cref="PasswordHasher{TUser}"/>, PBKDF2), lock-out and API tokens
/// (stored as SHA-256) in PostgreSQL. Every change is one transaction and leaves an app_user_event row.
/// </summary>
public sealed partial class UserStore(NpgsqlDataSource db, IOptions<AccessOptions> options, TimeProvider clock)
{
    /// <summary>Prefix of every API token, so a leaked one is recognisable in logs and secret scanners.</summary>
    public const string TokenPrefix = "gm_";

    private const string PasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static readonly PasswordHasher<AccessUser> Hasher = new();
    private readonly AccessOptions _options = options.Value;

    private const string UserColumns = """
        u.id, u.name, u.display_name, u.role, u.must_change_password, u.password_hash,
        ARRAY(SELECT j.id FROM app_user_town ut JOIN jurisdiction j ON j.id = ut.town_id WHERE ut.user_id = u.id ORDER BY j.code),
        ARRAY(SELECT j.code FROM app_user_town ut JOIN jurisdiction j ON j.id = ut.town_id WHERE ut.user_id = u.id ORDER BY j.code),
        ARRAY(SELECT j.name FROM app_user_town ut JOIN jurisdiction j ON j.id = ut.town_id WHERE ut.user_id = u.id ORDER BY j.code)
        """;

    /// <summary>A random password of 16 letters and digits (≈ 93 bits), without look-alike characters.</summary>
    public static string NewPassword() => RandomNumberGenerator.GetString(PasswordAlphabet, 16);

    /// <summary>Creates a user. Without <paramref name="password"/> one is generated, returned once and must be changed
    /// at the first sign-in. Town coordinators need at least one town; other roles take none.</summary>
    /// <exception cref="AccessInputException">naming the field that is wrong.</exception>
    public async Task<(AccessUser User, string? GeneratedPassword)> AddAsync(
        string name, string role, IReadOnlyCollection<string> townCodes, string? displayName, string? password, string actor, CancellationToken ct)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new AccessInputException("name", $"'{name}': 1–64 letters, digits or _ . @ -");
        }

        if (!Roles.All.Contains(role))
        {
            throw new AccessInputException("role", $"'{role}': one of {string.Join(", ", Roles.All)}");
        }

        if (role == Roles.TownCoordinator && townCodes.Count == 0)
        {
            throw new AccessInputException("towns", "a town coordinator needs at least one town (--town CODE)");
        }

        if (role != Roles.TownCoordinator && townCodes.Count > 0)
        {
            throw new AccessInputException("towns", $"only town coordinators are limited to towns; a {role} sees every town");
        }

        var generated = password is null ? NewPassword() : null;
        CheckPassword(password ?? generated!);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        long id;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO app_user (name, display_name, role, password_hash, must_change_password)
            VALUES (@name, @display, @role, @hash, @must) ON CONFLICT (name) DO NOTHING RETURNING id
            """, connection, tx))
        {
            insert.Parameters.AddWithValue("name", name);
            insert.Parameters.AddWithValue("display", (object?)displayName ?? DBNull.Value);
            insert.Parameters.AddWithValue("role", role);
            insert.Parameters.AddWithValue("hash", Hasher.HashPassword(null!, password ?? generated!));
            insert.Parameters.AddWithValue("must", generated is not null);
            id = await insert.ExecuteScalarAsync(ct) is long value ? value : throw new AccessInputException("name", $"user {name} exists already");
        }

        foreach (var code in townCodes.Distinct(StringComparer.Ordinal))
        {
            await using var town = new NpgsqlCommand("""
                INSERT INTO app_user_town (user_id, town_id) SELECT @id, j.id FROM jurisdiction j WHERE j.code = @code AND j.level = 'town'
                """, connection, tx);
            town.Parameters.AddWithValue("id", id);
            town.Parameters.AddWithValue("code", code);
            if (await town.ExecuteNonQueryAsync(ct) == 0)
            {
                throw new AccessInputException("towns", $"no town with code '{code}' (import the towns layer first)");
            }
        }

        await EventAsync(connection, tx, id, "created", actor, $"role {role}{(townCodes.Count > 0 ? ", towns " + string.Join(", ", townCodes) : "")}", ct);
        await tx.CommitAsync(ct);
        return (await FindByIdAsync(id, ct) ?? throw new InvalidOperationException("user vanished"), generated);
    }

    /// <summary>Whether an enabled administrator exists (a fresh install has none until <c>geomine up</c> creates one).</summary>
    public async Task<bool> AnyAdministratorAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"SELECT EXISTS (SELECT 1 FROM app_user WHERE role = '{Roles.Administrator}' AND disabled_at IS NULL)");
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Every user with role, towns, state and the number of live tokens.</summary>
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            SELECT {UserColumns}, u.disabled_at,
                   (SELECT max(f.failed_at) + @window FROM sign_in_failure f
                    WHERE f.user_name = u.name AND f.failed_at > now() - @window HAVING count(*) >= @per_name),
                   (SELECT count(*) FROM api_token t WHERE t.user_id = u.id AND t.revoked_at IS NULL)
            FROM app_user u ORDER BY u.name
            """);
        command.Parameters.AddWithValue("window", _options.LockoutDuration);
        command.Parameters.AddWithValue("per_name", _options.AccountLockoutAttempts);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var users = new List<UserSummary>();
        var now = clock.GetUtcNow();
        while (await reader.ReadAsync(ct))
        {
            var locked = reader.IsDBNull(10) ? (DateTime?)null : reader.GetDateTime(10);
            users.Add(new UserSummary(Read(reader), reader.IsDBNull(9) ? null : reader.GetDateTime(9),
                locked > now.UtcDateTime ? locked : null, reader.GetInt64(11)));
        }

        return users;
    }

    /// <summary>Disables (or re-enables) a user: sessions and tokens stop working within <see cref="AccessOptions.UserCacheTime"/>.</summary>
    public async Task<bool> SetDisabledAsync(string name, bool disabled, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand(
            "UPDATE app_user SET disabled_at = CASE WHEN @disabled THEN coalesce(disabled_at, now()) END, updated_at = now() WHERE name = @name RETURNING id",
            connection, tx);
        command.Parameters.AddWithValue("disabled", disabled);
        command.Parameters.AddWithValue("name", name);
        if (await command.ExecuteScalarAsync(ct) is not long id)
        {
            return false;
        }

        await EventAsync(connection, tx, id, disabled ? "disabled" : "enabled", actor, null, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Sets a new generated one-time password (to be changed at the next sign-in) and lifts every pause of its sign-in.</summary>
    public async Task<string?> ResetPasswordAsync(string name, string actor, CancellationToken ct)
    {
        var password = NewPassword();
        return await SetPasswordAsync(name, password, oneTime: true, actor, ct) ? password : null;
    }

    /// <summary>Sets <paramref name="password"/> (a one-time password when <paramref name="oneTime"/>) and lifts a lock-out;
    /// false for an unknown user.</summary>
    public async Task<bool> SetPasswordAsync(string name, string password, bool oneTime, string actor, CancellationToken ct)
    {
        CheckPassword(password);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("""
            WITH cleared AS (DELETE FROM sign_in_failure WHERE user_name = @name)
            UPDATE app_user SET password_hash = @hash, must_change_password = @once, updated_at = now()
            WHERE name = @name RETURNING id
            """, connection, tx);
        command.Parameters.AddWithValue("hash", Hasher.HashPassword(null!, password));
        command.Parameters.AddWithValue("once", oneTime);
        command.Parameters.AddWithValue("name", name);
        if (await command.ExecuteScalarAsync(ct) is not long id)
        {
            return false;
        }

        await EventAsync(connection, tx, id, oneTime ? "password_reset" : "password_set", actor, null, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Checks a password from a client at <paramref name="clientAddress"/>. Each failure is recorded under the name as typed
    /// (an account or not) and the address. Within <see cref="AccessOptions.LockoutDuration"/>, sign-in is paused — refused
    /// without looking at the password, which does not open it — for the name from that address after
    /// <see cref="AccessOptions.LockoutAttempts"/> failures, for the address after <see cref="AccessOptions.AddressLockoutAttempts"/>,
    /// and for the name from everywhere after <see cref="AccessOptions.AccountLockoutAttempts"/>. Unknown names cost the same
    /// hashing time and are paused the same way, so nothing tells an existing account from a made-up one.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(string name, string password, string clientAddress, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        AccessUser? user = null;
        string hash = DummyHash;
        DateTime? disabled = null;
        await using (var select = new NpgsqlCommand(
            $"SELECT {UserColumns}, u.disabled_at FROM app_user u WHERE u.name = @name FOR UPDATE", connection, tx))
        {
            select.Parameters.AddWithValue("name", name);
            await using var reader = await select.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                user = Read(reader);
                hash = reader.GetString(5);
                disabled = reader.IsDBNull(9) ? null : reader.GetDateTime(9);
            }
        }

        var verdict = Hasher.VerifyHashedPassword(null!, hash, password); // always: the same time for every answer
        if (await PausedUntilAsync(connection, tx, name, clientAddress, now, ct) is { } until)
        {
            if (user is not null)
            {
                await EventAsync(connection, tx, user.Id, "sign_in_paused", user.Name, clientAddress, ct);
            }

            await tx.CommitAsync(ct);
            return SignInOutcome.Locked(until);
        }

        if (user is null || disabled is not null || verdict == PasswordVerificationResult.Failed)
        {
            await using (var fail = new NpgsqlCommand("""
                DELETE FROM sign_in_failure WHERE failed_at < @expired;
                INSERT INTO sign_in_failure (user_name, client_address, failed_at) VALUES (@name, @address, @now)
                """, connection, tx))
            {
                fail.Parameters.AddWithValue("expired", now - _options.LockoutDuration);
                fail.Parameters.AddWithValue("name", name);
                fail.Parameters.AddWithValue("address", clientAddress);
                fail.Parameters.AddWithValue("now", now);
                await fail.ExecuteNonQueryAsync(ct);
            }

            if (user is not null)
            {
                var pausedNow = await PausedUntilAsync(connection, tx, name, clientAddress, now, ct) is not null;
                await EventAsync(connection, tx, user.Id, pausedNow ? "locked_out" : "sign_in_failed", user.Name, clientAddress, ct);
            }

            await tx.CommitAsync(ct);
            return SignInOutcome.Failed;
        }

        await using (var ok = new NpgsqlCommand("""
            UPDATE app_user SET password_hash = coalesce(@rehash, password_hash) WHERE id = @id;
            DELETE FROM sign_in_failure WHERE user_name = @name AND client_address = @address
            """, connection, tx))
        {
            ok.Parameters.AddWithValue("rehash", verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(null!, password) : DBNull.Value);
            ok.Parameters.AddWithValue("id", user.Id);
            ok.Parameters.AddWithValue("name", name);
            ok.Parameters.AddWithValue("address", clientAddress);
            await ok.ExecuteNonQueryAsync(ct);
        }

        await EventAsync(connection, tx, user.Id, "signed_in", user.Name, clientAddress, ct);
        await tx.CommitAsync(ct);
        return SignInOutcome.Success(await FindByIdAsync(user.Id, ct) ?? user);
    }

    /// <summary>Until when sign-in is paused for <paramref name="name"/> from <paramref name="clientAddress"/>, or null.</summary>
    private async Task<DateTime?> PausedUntilAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string name, string clientAddress, DateTime now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT max(last) + @window FROM (
                SELECT max(failed_at) AS last FROM sign_in_failure WHERE user_name = @name AND client_address = @address AND failed_at > @since
                HAVING count(*) >= @pair
                UNION ALL
                SELECT max(failed_at) FROM sign_in_failure WHERE client_address = @address AND failed_at > @since HAVING count(*) >= @per_address
                UNION ALL
                SELECT max(failed_at) FROM sign_in_failure WHERE user_name = @name AND failed_at > @since HAVING count(*) >= @per_name
            ) paused
            """, connection, tx);
        command.Parameters.AddWithValue("window", _options.LockoutDuration);
        command.Parameters.AddWithValue("since", now - _options.LockoutDuration);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("address", clientAddress);
        command.Parameters.AddWithValue("pair", _options.LockoutAttempts);
        command.Parameters.AddWithValue("per_address", _options.AddressLockoutAttempts);
        command.Parameters.AddWithValue("per_name", _options.AccountLockoutAttempts);
        return await command.ExecuteScalarAsync(ct) as DateTime?;
    }

    /// <summary>Changes a password after checking the current one; ends the one-time-password state and every other session.</summary>
    public async Task<AccessUser> ChangePasswordAsync(long userId, string current, string replacement, CancellationToken ct)
    {
        CheckPassword(replacement);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var hash = await HashOfAsync(connection, tx, userId, ct);
        if (Hasher.VerifyHashedPassword(null!, hash, current) == PasswordVerificationResult.Failed)
        {
            throw new AccessInputException("current_password", "the current password is wrong");
        }

        if (current == replacement)
        {
            throw new AccessInputException("new_password", "the new password must differ from the current one");
        }

        await using (var update = new NpgsqlCommand(
            "UPDATE app_user SET password_hash = @hash, must_change_password = false, updated_at = now() WHERE id = @id", connection, tx))
        {
            update.Parameters.AddWithValue("hash", Hasher.HashPassword(null!, replacement));
            update.Parameters.AddWithValue("id", userId);
            await update.ExecuteNonQueryAsync(ct);
        }

        await EventAsync(connection, tx, userId, "password_changed", null, null, ct);
        await tx.CommitAsync(ct);
        return await FindByIdAsync(userId, ct) ?? throw new InvalidOperationException("user vanished");
    }

    /// <summary>Issues an API token for user <paramref name="name"/>; the token is returned once and stored only as its hash.</summary>
    public async Task<(long Id, string Token)?> IssueTokenAsync(string name, string? label, string actor, CancellationToken ct)
    {
        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("""
            INSERT INTO api_token (user_id, token_sha256, label) SELECT id, @hash, @label FROM app_user WHERE name = @name RETURNING id, user_id
            """, connection, tx);
        command.Parameters.AddWithValue("hash", TokenHash(token));
        command.Parameters.AddWithValue("label", (object?)label ?? DBNull.Value);
        command.Parameters.AddWithValue("name", name);
        long id, userId;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            (id, userId) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        await EventAsync(connection, tx, userId, "token_issued", actor, $"token {id}{(label is null ? "" : " " + label)}", ct);
        await tx.CommitAsync(ct);
        return (id, token);
    }

    /// <summary>Revokes token <paramref name="tokenId"/> of user <paramref name="name"/> (all of them when null).</summary>
    public async Task<int> RevokeTokensAsync(string name, long? tokenId, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("""
            UPDATE api_token t SET revoked_at = now() FROM app_user u
            WHERE u.id = t.user_id AND u.name = @name AND t.revoked_at IS NULL AND (@token::bigint IS NULL OR t.id = @token)
            RETURNING t.id, u.id
            """, connection, tx);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("token", (object?)tokenId ?? DBNull.Value);
        var revoked = new List<(long Token, long User)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                revoked.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        foreach (var (token, user) in revoked)
        {
            await EventAsync(connection, tx, user, "token_revoked", actor, $"token {token}", ct);
        }

        await tx.CommitAsync(ct);
        return revoked.Count;
    }

    /// <summary>The enabled user with id <paramref name="id"/>, or null.</summary>
    public async Task<AccessUser?> FindByIdAsync(long id, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"SELECT {UserColumns} FROM app_user u WHERE u.id = @id AND u.disabled_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>The enabled user holding the live token <paramref name="token"/>, or null; records the token's last use.</summary>
    public async Task<AccessUser?> FindByTokenAsync(string token, CancellationToken ct)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        await using var command = db.CreateCommand($"""
            WITH t AS (UPDATE api_token SET last_used_at = now() WHERE token_sha256 = @hash AND revoked_at IS NULL RETURNING user_id)
            SELECT {UserColumns} FROM t JOIN app_user u ON u.id = t.user_id WHERE u.disabled_at IS NULL
            """);
        command.Parameters.AddWithValue("hash", TokenHash(token));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private void CheckPassword(string password)
    {
        if (password.Length < _options.MinPasswordLength)
        {
            throw new AccessInputException("password", $"at least {_options.MinPasswordLength} characters");
        }
    }

    private static AccessUser Read(NpgsqlDataReader reader)
    {
        var ids = reader.GetFieldValue<long[]>(6);
        var codes = reader.GetFieldValue<string[]>(7);
        var names = reader.GetFieldValue<string[]>(8);
        return new AccessUser(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
            ids.Select((id, i) => new TownRef(id, codes[i], names[i])).ToArray(), reader.GetBoolean(4), Stamp(reader.GetString(5)));
    }

    private static async Task<string> HashOfAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT password_hash FROM app_user WHERE id = @id", connection, tx);
        command.Parameters.AddWithValue("id", id);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task EventAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long? userId, string kind, string? actor, string? detail, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO app_user_event (user_id, kind, actor, detail) VALUES (@user, @kind, @actor, @detail)", connection, tx);
        command.Parameters.AddWithValue("user", (object?)userId ?? DBNull.Value);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("actor", (object?)actor ?? DBNull.Value);
        command.Parameters.AddWithValue("detail", (object?)detail ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Stamp(string passwordHash) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash)))[..16];

    private static byte[] TokenHash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static readonly string DummyHash = Hasher.HashPassword(null!, NewPassword());

    [GeneratedRegex("^[A-Za-z0-9_.@-]{1,64}$")]
    private static partial Regex NamePattern();
}

/// <summary>A user in <c>users list</c>; <c>LockedUntil</c>: sign-in paused for the name from every address (too many failures).</summary>
public sealed record UserSummary(AccessUser User, DateTime? DisabledAt, DateTime? LockedUntil, long LiveTokens);

/// <summary>The result of a password check.</summary>
public sealed record SignInOutcome(AccessUser? User, DateTime? LockedUntil)
{
    public static SignInOutcome Failed { get; } = new(null, null);

    public static SignInOutcome Success(AccessUser user) => new(user, null);

    public static SignInOutcome Locked(DateTime until) => new(null, until);
}

/// <summary>Bad input to a user operation; <see cref="Field"/> names the field.</summary>
public sealed class AccessInputException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;

    public string Detail { get; } = message;
}
