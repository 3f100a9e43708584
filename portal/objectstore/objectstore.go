// Package objectstore keeps claim documents in S3-compatible storage (MinIO), in a bucket with
// versioning and object lock so that filed documents cannot be changed.
package objectstore

import (
	"context"
	"fmt"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Store is a bucket in object storage.
type Store struct {
	Client *minio.Client
	Bucket string
}

// Config says where the store is.
type Config struct {
	Endpoint, AccessKey, SecretKey, Bucket string
	UseTLS                                 bool
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
	return &Store{Client: c, Bucket: cfg.Bucket}, nil
}

// EnsureBucket creates the bucket with object lock (which also turns versioning on) if it does not
// exist yet. Object lock can only be chosen when a bucket is created.
func (s *Store) EnsureBucket(ctx context.Context) error {
	ok, err := s.Client.BucketExists(ctx, s.Bucket)
	if err != nil {
		return fmt.Errorf("check bucket %s: %w", s.Bucket, err)
	}
	if ok {
		return nil
	}
	err = s.Client.MakeBucket(ctx, s.Bucket, minio.MakeBucketOptions{ObjectLocking: true})
	if err != nil {
		if resp := minio.ToErrorResponse(err); resp.Code == "BucketAlreadyOwnedByYou" {
			return nil
		}
		return fmt.Errorf("create bucket %s: %w", s.Bucket, err)
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
