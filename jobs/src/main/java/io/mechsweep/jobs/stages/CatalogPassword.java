package io.mechsweep.jobs.stages;

import io.mechsweep.datagen.BadInputException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared catalog database's password, from where it does not show: never the JDBC URL (which
 * is in the process list, spark-submit's arguments and the nightly DAG's rendered commands), but,
 * first found: a file named by {@code --catalog-password-file} or
 * {@code $MECHSWEEP_CATALOG_PASSWORD_FILE} (its first line; e.g. a mounted secret), then
 * {@code $PGPASSWORD}, then the first matching line of {@code $PGPASSFILE} or {@code ~/.pgpass}
 * (libpq's format). None of them: no password (trust authentication, as bin/catalog-db's
 * development server has on loopback).
 */
public final class CatalogPassword {
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("([?&;]password=)[^&;]*",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern USER_PARAMETER = Pattern.compile("[?&;]user=([^&;]*)");

  private CatalogPassword() {}

  /**
   * The password for {@code jdbcUrl}.
   *
   * @param passwordFile the --catalog-password-file option (null or empty: not given)
   * @param env the process environment
   */
  public static Optional<String> resolve(String jdbcUrl, String passwordFile, Map<String, String> env) {
    if (PASSWORD_PARAMETER.matcher(jdbcUrl).find()) {
      throw new BadInputException("--catalog: the URL " + redacted(jdbcUrl) + " carries a password, which would show"
          + " in the process list and in logs; drop password= from it and give the password in a file"
          + " (--catalog-password-file FILE), as $PGPASSWORD or in ~/.pgpass");
    }
    String file = passwordFile != null && !passwordFile.isEmpty() ? passwordFile
        : env.getOrDefault("MECHSWEEP_CATALOG_PASSWORD_FILE", "");
    if (!file.isEmpty()) {
      return Optional.of(firstLine(file));
    }
    String password = env.get("PGPASSWORD");
    if (password != null && !password.isEmpty()) {
      return Optional.of(password);
    }
    String home = System.getProperty("user.home");
    Path pgpass = env.containsKey("PGPASSFILE") ? Path.of(env.get("PGPASSFILE")) : Path.of(home, ".pgpass");
    return Files.isReadable(pgpass) ? fromPgpass(pgpass, jdbcUrl) : Optional.empty();
  }

  /**
   * Logs in to a PostgreSQL catalog once, before any work: Hive's client would only try when the
   * study first writes a table, after training, then retry ten times and print pages of traces.
   */
  public static void requireLogin(String jdbcUrl, Optional<String> password) {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      return;
    }
    java.util.Properties login = new java.util.Properties();
    login.setProperty("user", user(jdbcUrl));
    password.ifPresent(p -> login.setProperty("password", p));
    login.setProperty("connectTimeout", "10");
    login.setProperty("loginTimeout", "20");
    try (java.sql.Connection ignored = new org.postgresql.Driver().connect(jdbcUrl, login)) {
      // logged in: Hive's client will be too
    } catch (java.sql.SQLException e) {
      String reason = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
      throw new BadInputException("--catalog: cannot log in to the catalog database " + redacted(jdbcUrl) + " as '"
          + user(jdbcUrl) + "' (" + reason + "); " + (password.isPresent()
          ? "check the password given and that the database is up (bin/catalog-db status for the development one)"
          : "no password was given: give it with --catalog-password-file FILE, $PGPASSWORD or ~/.pgpass"));
    }
  }

  /** The URL as it may be printed: any password parameter replaced by {@code ***}. */
  public static String redacted(String jdbcUrl) {
    return PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1***");
  }

  /** The user the URL names ({@code ?user=…}), empty when none. */
  public static String user(String jdbcUrl) {
    Matcher user = USER_PARAMETER.matcher(jdbcUrl);
    return user.find() ? user.group(1) : "";
  }

  private static String firstLine(String file) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
      if (lines.isEmpty() || lines.get(0).isEmpty()) {
        throw new BadInputException("--catalog-password-file: " + file + " is empty; its first line must be the"
            + " catalog database's password");
      }
      return lines.get(0);
    } catch (IOException e) {
      throw new BadInputException("--catalog-password-file: " + file + " cannot be read (" + e.getClass().getSimpleName()
          + "); give a file this user can read whose first line is the password");
    }
  }

  /**
   * The password of the first line {@code host:port:database:user:password} that matches the
   * URL's host, port (5432 when the URL has none), database and user; {@code *} matches anything,
   * {@code \:} and {@code \\} are a colon and a backslash.
   */
  static Optional<String> fromPgpass(Path pgpass, String jdbcUrl) {
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    List<String> wanted = List.of(String.valueOf(uri.getHost()), String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort()),
        database, user(jdbcUrl));
    try {
      for (String line : Files.readAllLines(pgpass, StandardCharsets.UTF_8)) {
        List<String> fields = pgpassFields(line);
        if (line.startsWith("#") || fields.size() != 5) {
          continue;
        }
        boolean matches = true;
        for (int i = 0; i < 4; i++) {
          matches &= fields.get(i).equals("*") || fields.get(i).equals(wanted.get(i));
        }
        if (matches) {
          return Optional.of(fields.get(4));
        }
      }
    } catch (IOException e) {
      throw new BadInputException("the password file " + pgpass + " cannot be read (" + e.getClass().getSimpleName()
          + "); fix its permissions or set $PGPASSFILE");
    }
    return Optional.empty();
  }

  private static List<String> pgpassFields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        field.append(line.charAt(++i));
      } else if (c == ':' && fields.size() < 4) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
