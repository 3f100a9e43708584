// Package objectstore keeps claim documents in S3-compatible storage (MinIO), in a bucket with
// versioning and object lock so that filed documents cannot be changed.
package objectstore

import (
	"context"
	"fmt"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Store is a bucket in object storage.
type Store struct {
	Client    *minio.Client
	Bucket    string
	retention time.Duration
}

// Config says where the store is.
type Config struct {
	Endpoint, AccessKey, SecretKey, Bucket string
	UseTLS                                 bool
	// Retention, when set, is the bucket's default object-lock retention (GOVERNANCE mode, whole
	// days, rounded up) that EnsureBucket sets: every version is locked from the moment it is
	// stored, with no request of its own.
	Retention time.Duration
}

// New connects a client; it does not touch the network.
func New(cfg Config) (*Store, error) {
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.UseTLS,
	})
	if err != nil {
		return nil, fmt.Errorf("object storage client: %w", err)
	}
	return &Store{Client: c, Bucket: cfg.Bucket, retention: cfg.Retention}, nil
}

// EnsureBucket creates the bucket with object lock (which also turns versioning on) if it does not
// exist yet, since object lock can only be chosen when a bucket is created; then, if the store has
// a retention, it sets it as the bucket's default (again at every start, so a changed setting
// applies to versions stored from then on).
func (s *Store) EnsureBucket(ctx context.Context) error {
	ok, err := s.Client.BucketExists(ctx, s.Bucket)
	if err != nil {
		return fmt.Errorf("check bucket %s: %w", s.Bucket, err)
	}
	if !ok {
		err = s.Client.MakeBucket(ctx, s.Bucket, minio.MakeBucketOptions{ObjectLocking: true})
		if resp := minio.ToErrorResponse(err); err != nil && resp.Code != "BucketAlreadyOwnedByYou" {
			return fmt.Errorf("create bucket %s: %w", s.Bucket, err)
		}
	}
	if s.retention <= 0 {
		return nil
	}
	mode, unit := minio.Governance, minio.Days
	days := uint((s.retention + 24*time.Hour - 1) / (24 * time.Hour))
	if err := s.Client.SetObjectLockConfig(ctx, s.Bucket, &mode, &days, &unit); err != nil {
		return fmt.Errorf("default retention of bucket %s: %w", s.Bucket, err)
	}
	return nil
}

// Ping checks that the store answers and the bucket is there.
func (s *Store) Ping(ctx context.Context) error {
	ok, err := s.Client.BucketExists(ctx, s.Bucket)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("bucket %s does not exist", s.Bucket)
	}
	return nil
}

// RemoveVersion removes one version the portal stored for a draft or a failed upload. Every
// version is under the bucket's default retention from the moment it is stored, so this needs the
// governance bypass; a filed claim's documents never come here.
func (s *Store) RemoveVersion(ctx context.Context, key, versionID string) error {
	return s.Client.RemoveObject(ctx, s.Bucket, key, minio.RemoveObjectOptions{VersionID: versionID, GovernanceBypass: true})
}
