"""The settings of a newsflow run: command-line flags, then `NEWSFLOW_*` environment variables,
then a TOML config file, then the flow's defaults (the first that sets a value wins)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings import SettingsError as SourceError

ENV_PREFIX = "NEWSFLOW_"
DEFAULT_CONFIG = Path("newsflow.toml")  # read from the current directory when present


class SettingsError(ValueError):
    """A setting is missing, malformed or out of range; the message is one line."""


def _output_location(value: object) -> object:
    """A URL (s3://..., file://...) stays text, as a Path would fold its `//`; the rest is a
    folder."""
    if isinstance(value, str) and "://" not in value:
        return Path(value)
    return value


# The bounds of each setting, declared once: for the settings and the flow's parameters.
BatchSize = Annotated[int, Field(ge=1, le=100_000)]
NlpBatchSize = Annotated[int, Field(ge=1, le=10_000)]
ProcessCount = Annotated[int, Field(ge=1, le=256)]
DaskWorkerCount = Annotated[int, Field(ge=0, le=256)]
LockWait = Annotated[float, Field(ge=0)]


class NewsflowSettings(BaseSettings):
    """What a run reads, where it publishes and how it spreads the work."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid")

    config: Path | None = Field(
        default=None,
        description=f"TOML file of settings (default: {DEFAULT_CONFIG} when present)",
    )
    inputs: Annotated[list[str], Field(min_length=1)] = Field(
        default=["seeds"],
        description="files, folders or globs to read",
    )
    output: Annotated[Path | str, BeforeValidator(_output_location)] = Field(
        default=Path("output"),
        description="folder, or object storage URL such as s3://bucket/prefix, the tables, "
        "validation results and report are published to",
    )
    batch_size: BatchSize = Field(default=200, description="articles per clean-and-extract task")
    nlp_batch_size: NlpBatchSize = Field(
        default=16,
        description="texts per spaCy nlp.pipe batch (larger batches cost memory, not time)",
    )
    n_process: ProcessCount = Field(
        default=os.cpu_count() or 1, description="worker processes for cleaning and NLP"
    )
    dask_address: str | None = Field(
        default=None, description="address of an existing Dask cluster to run the batches on"
    )
    dask_workers: DaskWorkerCount = Field(
        default=0, description="worker processes of a local Dask cluster (0: no Dask)"
    )
    wait_for_lock: LockWait = Field(
        default=0.0, description="seconds to wait for another run writing the same output"
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Flags (the init arguments) over the environment over the config file."""
        config_file = config_path(init_settings.init_kwargs.get("config"))
        if config_file is None:
            return init_settings, env_settings
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, config_file)


# The declared defaults (no environment or config file read): the flow's parameters' defaults.
DEFAULTS = NewsflowSettings.model_construct()


def config_path(flag: str | Path | None) -> Path | None:
    """The config file to read: the flag, else NEWSFLOW_CONFIG, else ./newsflow.toml if any."""
    named = flag or os.environ.get(f"{ENV_PREFIX}CONFIG")
    if named:
        path = Path(named)
        if not path.is_file():
            raise SettingsError(f"config file {path} does not exist")
        return path
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def load_settings(**flags: object) -> NewsflowSettings:
    """The settings resolved from `flags` (those given on the command line), the environment
    and the config file; SettingsError with a one-line reason when a value is invalid."""
    try:
        return NewsflowSettings(
            **{name: value for name, value in flags.items() if value is not None}
        )
    except ValidationError as error:
        raise SettingsError(
            "invalid settings: " + "; ".join(_problem(problem) for problem in error.errors())
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"config file is not valid TOML: {error}") from None
    except SourceError as error:  # e.g. NEWSFLOW_INPUTS that is not a JSON list
        raise SettingsError(f"invalid settings: {error}") from None


def _problem(problem: dict) -> str:
    """One validation problem, naming where the value may have come from."""
    name = ".".join(str(part) for part in problem["loc"])
    if problem["type"] == "extra_forbidden":
        return f"{name}: not a setting (in the config file)"
    field = name.split(".")[0]
    flag = "--input" if field == "inputs" else f"--{field.replace('_', '-')}"
    return (
        f"{name}: {problem['msg']} (got {problem['input']!r} from "
        f"{flag}, {ENV_PREFIX}{field.upper()} or the config file)"
    )
